/**
 * The environment for an npm run by a test: this process's, minus the settings a parent `npm`
 * (the one running `npm test`) exports that would make the child act on the monorepo rather than
 * on the directory it is started in, or only pretend to act.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(local_prefix|workspaces?|include_workspace_root|dry_run|global|location)$/i.test(key)) delete env[key];
  }
  return env;
}
