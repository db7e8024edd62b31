// jstat ships no types; this declares the one function the sweep summary uses.
declare module 'jstat' {
  export const jStat: {
    studentt: {
      /** the quantile: x with P(T <= x) = p for Student's t with `dof` degrees of freedom */
      inv(p: number, dof: number): number;
    };
  };
}
