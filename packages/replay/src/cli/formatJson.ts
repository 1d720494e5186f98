/** How every command prints its `-o json` value: indented two spaces, one trailing newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
