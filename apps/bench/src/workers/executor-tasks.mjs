// Task functions for the executor bench: weft ships them by module URL + export name; piscina loads
// this file as its worker (its default export is the task).
export function increment(x) {
  return x + 1;
}

export default increment;
