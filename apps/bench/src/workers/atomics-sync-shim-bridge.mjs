// The module a sync bridge's helper thread runs in the bench: one async function.
export async function add(a, b) {
  return a + b;
}
