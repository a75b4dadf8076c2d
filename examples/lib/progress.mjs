// Shows a pipeline's progress on stderr (stdout stays the example's own output): a progress bar
// (cli-progress) in a terminal, plain lines otherwise (a log, a pipe, CI).
import cliProgress from 'cli-progress';

/** Returns a listener for `pipeline.on('progress', …)` or convert()'s `onProgress`. */
export function showProgress(label) {
  return process.stderr.isTTY ? progressBar(label) : progressLines(label);
}

function progressBar(label) {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}%`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return (progress) => {
    if (progress.total === undefined) return; // the source has not said how many yet
    if (!started) {
      started = true;
      bar.start(progress.total, progress.done);
    } else {
      bar.update(progress.done);
    }
    if (progress.finished) bar.stop();
  };
}

function progressLines(label) {
  return (progress) => {
    const of = progress.total === undefined ? '' : `/${progress.total} (${Math.round((progress.fraction ?? 0) * 100)}%)`;
    process.stderr.write(`${label}: ${progress.done}${of}${progress.finished ? ', finished' : ''}\n`);
  };
}
