/**
 * Vehicle slots in vehicle-id order, in place: the serial phases walk their lists by id so that
 * the result never depends on which thread found which vehicle.
 */

/**
 * Sorts a[0..n) by the vehicles' ids (ids are unique, so the order is fully determined): by
 * insertion for the few of a tick (arrivals, removals, reroutes, vehicles entering), which
 * allocates nothing, by the native sort when many come at once (a bulk placement).
 */
export function sortSlotsById(a: Int32Array, n: number, idOf: Int32Array): void {
  if (n > 32) {
    a.subarray(0, n).sort((x, y) => idOf[x] - idOf[y]);
    return;
  }
  for (let k = 1; k < n; k++) {
    const slot = a[k];
    const id = idOf[slot];
    let j = k - 1;
    while (j >= 0 && idOf[a[j]] > id) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = slot;
  }
}
