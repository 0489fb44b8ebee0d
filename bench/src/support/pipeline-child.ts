/** A pipeline the bench runs in a child process of its own (the naive baseline, the limit probe). */
export interface ChildPipeline<P extends object, R> {
  readonly progress: P;
  start(): Promise<R>;
  stop(): Promise<void>;
}

export type ChildPipelineMessage<P extends object, Ready extends object> = ({ type: 'ready' } & Ready) | ({ type: 'progress' } & P) | { type: 'failed'; message: string };

/**
 * Runs a pipeline as the child process's whole life: progress to the parent every 250 ms, `ready`
 * once started, `failed` (and exit 1) on an error; SIGTERM or the parent going away stops it.
 * `create` gets the failure callback for errors the pipeline meets after it started.
 */
export function runChildPipeline<P extends object, R, Ready extends object>(create: (fail: (error: Error) => void) => ChildPipeline<P, R>, ready: (started: R) => Ready): void {
  const send = (message: ChildPipelineMessage<P, Ready>) => process.send?.(message);
  let stopping = false;
  const fail = (error: unknown) => {
    send({ type: 'failed', message: (error as Error).stack ?? String(error) });
    void stop(1);
  };
  const pipeline = create(fail);
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    send({ type: 'progress', ...pipeline.progress });
    await pipeline.stop();
    process.exit(code);
  };
  const timer = setInterval(() => send({ type: 'progress', ...pipeline.progress }), 250);
  process.once('SIGTERM', () => void stop(0));
  process.once('disconnect', () => void stop(0));
  pipeline
    .start()
    .then((started) => send({ type: 'ready', ...ready(started) }))
    .catch(fail);
}
