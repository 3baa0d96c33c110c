// Task functions for the pool bench: weft ships them by module URL + export name; piscina and
// tinypool load this file as their worker (the default export is the task).
export function increment(x) {
  return x + 1;
}

/** The notes' p18 job: sum of i + i**2 + i**3 for i below n. */
export function p18(n) {
  let total = 0;
  for (let i = 0; i < n; i++) total += i + i ** 2 + i ** 3;
  return total;
}

export default increment;
