// Runs once when Next's server starts (also under `next start` alone): migrate and bootstrap.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("./server/runtime/bootstrap");
  const { generatedPassword } = await bootstrap();
  if (generatedPassword) console.log(`Initial admin password: ${generatedPassword}`);
}
