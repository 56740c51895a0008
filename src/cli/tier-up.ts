/**
 * V8's tier-up, set by the commands that render (render, batch, serve) before they start their
 * render workers; V8's flags are the process's, workers included.
 *
 * V8 optimizes a function with TurboFan, in a background thread, once it has run a budget of
 * bytecode (--interrupt-budget, 66 KB by default). The libraries a report goes through are large:
 * rendering 40 reports in one thread optimized 622 functions in 5.2 s of compile time, more CPU
 * than the rendering itself (3.6 s), and on a 2-core machine those compiles took the second core
 * from the second render worker. With an 18 times larger budget only the functions that stay hot
 * are optimized: `xxgk batch` of 40 reports with 2 workers took 4.8–5.0 s instead of 6.4–6.5 s
 * (CPU 8.9 s instead of 12.4 s), a cold `xxgk render` 1.36 s instead of 1.40 s. A process that
 * renders on and on (`xxgk serve`) reaches the same speed later: 45 ms a PDF after 20 reports
 * instead of 41, 38 ms after 100.
 */
export async function tierUpForRendering(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--interrupt-budget=1200000');
}
