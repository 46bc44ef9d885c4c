// Docker HEALTHCHECK: exit 0 when /readyz answers 200 (the image has no curl).
// /readyz checks the database, migrations and storage; see INSTALL.md.
const port = process.env.PORT || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4000) });
  if (res.ok) process.exit(0);
  console.error(`readyz answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
} catch (e) {
  console.error(`readyz unreachable: ${e instanceof Error ? e.message : String(e)}`);
}
process.exit(1);
