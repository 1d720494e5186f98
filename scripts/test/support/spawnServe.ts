import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface RunningServe {
  readonly child: ChildProcess;
  /** The inspector's address as `meshfold serve` printed it, e.g. `http://127.0.0.1:43117/`. */
  readonly url: string;
  /** SIGTERMs the server and resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `meshfold serve --log LOG --port 0` with the given executable and waits for its address. */
export async function spawnServe(meshfold: string, log: string, timeoutMs = 30_000): Promise<RunningServe> {
  const child = spawn(meshfold, ['serve', '--log', log, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return (await exited)[0];
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`meshfold serve printed no address within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const address = /^meshfold inspector at (\S+?);?\s/.exec(line)?.[1];
        if (address !== undefined) {
          clearTimeout(timer);
          resolve(address);
        }
      });
      void exited.then(([code]) => {
        clearTimeout(timer);
        reject(new Error(`meshfold serve exited (${code}) before printing its address; stderr: ${stderr}`));
      });
    });
    return { child, url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
