// Runs once when Next's server starts (also under `next start` alone): migrate and bootstrap.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("./server/config");
  // Under `next start` Next is the edge; in the console process the gateway server already was.
  if (!getConfig().consoleRelayed) (await import("./server/http/edge")).installEdgePolicy();
  (await import("./server/runtime/flush-before-exit")).flushBeforeExit();
  const { bootstrap } = await import("./server/runtime/bootstrap");
  const { processStore } = await import("./server/runtime/process-store");
  const store = await processStore();
  const { generatedPassword } = await bootstrap(store);
  // Loaded now, so this process can authenticate and route from memory even if the database goes away later.
  await (await import("./server/runtime/warm")).warmUp(store);
  if (generatedPassword) console.log(`Initial admin password: ${generatedPassword}`);
}
