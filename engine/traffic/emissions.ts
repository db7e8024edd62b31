/**
 * Instantaneous fuel use and tailpipe CO₂ per vehicle and tick, from speed and acceleration
 * (issue 5: a published, cited model, so that GLOSA's effect on fuel and CO₂ can be measured).
 *
 * Light-duty vehicles (classes car and emergency): the VT-Micro fuel model,
 *   F = exp( Σ_{i=0..3} Σ_{j=0..3} K_ij · s^i · a^j )   [L/s],  s in km/h, a in km/h/s,
 * with K = L for a ≥ 0 and K = M for a < 0, the composite light-duty fuel coefficients fitted to
 * the Oak Ridge National Laboratory measurements of eight light-duty vehicles:
 *   K. Ahn, H. Rakha, A. Trani, M. Van Aerde (2002), "Estimating vehicle fuel consumption and
 *   emissions based on instantaneous speed and acceleration levels", Journal of Transportation
 *   Engineering 128(2), 182–190;
 *   H. Rakha, K. Ahn, A. Trani (2004), "Development of VT-Micro model for estimating hot
 *   stabilized light duty vehicle and truck emissions", Transportation Research Part D 9(1),
 *   49–74 (the model family).
 * The coefficient table below is as reproduced in M. Alsabaan, K. Naik, T. Khalifa, A. Nayak
 * (2012), "Applying vehicular networks for reduced vehicle fuel consumption and CO2 emissions"
 * (InTech), checked against a second, independent reproduction of the same table.
 * The data cover speeds up to about 121 km/h (110 ft/s) and accelerations of about −1.5 to
 * 3.7 m/s² (−5 to 12 ft/s²). Outside that, the cubic is an extrapolation; so speed is clamped to
 * [0, 121] km/h, deceleration to −1.5 m/s² (harder braking burns no more fuel), and acceleration
 * to the point where, at that speed, the fitted surface stops increasing with acceleration
 * (above ~100 km/h the fit turns down within the envelope, at accelerations few cars reach
 * there: at ≈ 2.2 m/s² at 110 km/h, ≈ 1.9 m/s² at 121 km/h). At the defaults this gives 0.44 mL/s idling and
 * 8.4 L/100 km at a steady 50 km/h.
 *
 * Heavy vehicles (classes bus and truck, diesel): no published VT-Micro heavy-duty coefficient
 * set is used here; instead the form of the ARRB power model (Bowyer, Akçelik & Biggs 1985,
 * "Guide to fuel consumption analyses for urban traffic management", ARRB SR 32) without its
 * second-order inertia term:
 *   F = α + P / (η · E_v)  for tractive power P > 0,   F = α otherwise,
 *   P = (M·a + M·g·C_r + ½·ρ·C_dA·v²)·v,
 * with α = 2.0 L/h and M = 11 000 kg (the SIDRA INTERSECTION defaults for heavy vehicles),
 * C_r = 0.007 (heavy-vehicle tyres, ≈ 0.005–0.008), C_dA = 6 m² (C_d ≈ 0.65 × ≈ 9 m² frontal
 * area), ρ = 1.2 kg/m³, η = 0.30 tank-to-wheel (diesel engine at urban part load × driveline),
 * E_v = 35.9 MJ/L (diesel: 43 MJ/kg lower heating value × 0.835 kg/L). These physical
 * parameters are engineering estimates, not a calibration: treat heavy-vehicle totals as
 * indicative (≈ 18 L/100 km at a steady 50 km/h, more with stops).
 *
 * Van (unmanned electric delivery van, docs/models.md): zero fuel and zero tailpipe CO₂. Its
 * traction energy is not computed here.
 *
 * CO₂ from fuel (US EPA, "Greenhouse Gas Emissions from a Typical Passenger Vehicle",
 * EPA-420-F-18-008: 8,887 g CO₂ per US gallon of gasoline, 10,180 g per gallon of diesel;
 * 1 US gallon = 3.785411784 L): 2,347.7 g/L petrol, 2,689.3 g/L diesel.
 */

/** Class codes: the order of `vehicleClasses` in engine/spec/schema.ts (a test checks it). */
export const CLASS_CAR = 0;
export const CLASS_BUS = 1;
export const CLASS_TRUCK = 2;
export const CLASS_VAN = 3;
export const CLASS_EMERGENCY = 4;

/** g CO₂ per litre (EPA: 8,887 and 10,180 g per US gallon). */
export const CO2_G_PER_L_PETROL = 8887 / 3.785411784;
export const CO2_G_PER_L_DIESEL = 10180 / 3.785411784;

/** VT-Micro light-duty fuel coefficients, [speed power i][acceleration power j], a ≥ 0. */
export const VT_MICRO_FUEL_POS: readonly (readonly number[])[] = [
  [-7.73452, 0.22946, -0.00561, 9.773e-5],
  [0.02799, 0.0068, -0.00077221, 8.38e-6],
  [-0.0002228, -4.402e-5, 7.9e-7, 8.17e-7],
  [1.09e-6, 4.8e-8, 3.27e-8, -7.79e-9],
];

/** VT-Micro light-duty fuel coefficients, a < 0. */
export const VT_MICRO_FUEL_NEG: readonly (readonly number[])[] = [
  [-7.73452, -0.01799, -0.00427, 0.00018829],
  [0.02804, 0.00772, 0.00083744, -3.387e-5],
  [-0.00021988, -5.219e-5, -7.44e-6, 2.77e-7],
  [1.08e-6, 2.47e-7, 4.87e-8, 3.79e-10],
];

const KMH = 3.6;
/** ORNL envelope, km/h and km/h/s (Ahn et al. 2002) */
const VT_SPEED_MAX_KMH = 121;
const VT_DECEL_MIN = -1.5 * KMH;
const VT_ACCEL_MAX = 3.7 * KMH;

// Flat copies for the hot loop: K[i * 4 + j].
const POS = Float64Array.from(VT_MICRO_FUEL_POS.flat());
const NEG = Float64Array.from(VT_MICRO_FUEL_NEG.flat());

/** ln F of the VT-Micro surface at s km/h and a km/h/s, unclamped. */
function vtMicroLog(s: number, a: number): number {
  const k = a >= 0 ? POS : NEG;
  const a2 = a * a;
  const a3 = a2 * a;
  let sp = 1;
  let e = 0;
  for (let i = 0; i < 4; i++) {
    const b = i * 4;
    e += sp * (k[b] + k[b + 1] * a + k[b + 2] * a2 + k[b + 3] * a3);
    sp *= s;
  }
  return e;
}

/**
 * Per whole km/h 0..121: the acceleration (km/h/s) from which the fitted surface no longer
 * increases with acceleration at that speed, within the ORNL envelope (scanned in 0.01 km/h/s).
 */
const ACCEL_CAP = (() => {
  const cap = new Float64Array(VT_SPEED_MAX_KMH + 1);
  for (let s = 0; s <= VT_SPEED_MAX_KMH; s++) {
    let a = 0;
    while (a < VT_ACCEL_MAX && vtMicroLog(s, a + 0.01) > vtMicroLog(s, a)) a += 0.01;
    cap[s] = Math.min(a, VT_ACCEL_MAX);
  }
  return cap;
})();

/** VT-Micro light-duty fuel rate, mL/s, at speed v (m/s) and acceleration a (m/s²), clamped as documented. */
export function vtMicroFuelMlPerS(v: number, a: number): number {
  let s = v * KMH;
  if (!(s > 0)) s = 0;
  else if (s > VT_SPEED_MAX_KMH) s = VT_SPEED_MAX_KMH;
  let ak = a * KMH;
  if (!(ak >= VT_DECEL_MIN)) ak = Number.isNaN(ak) ? 0 : VT_DECEL_MIN;
  if (ak > 0) {
    const lo = Math.floor(s);
    const hi = lo < VT_SPEED_MAX_KMH ? lo + 1 : lo;
    const cap = ACCEL_CAP[lo] < ACCEL_CAP[hi] ? ACCEL_CAP[lo] : ACCEL_CAP[hi];
    if (ak > cap) ak = cap;
  }
  return 1000 * Math.exp(vtMicroLog(s, ak));
}

/** Heavy-vehicle power-model parameters (see the header for their sources and status). */
export const HEAVY = {
  idleMlPerS: 2000 / 3600,
  massKg: 11000,
  rollingCoefficient: 0.007,
  dragAreaM2: 6,
  airDensity: 1.2,
  efficiency: 0.3,
  dieselMjPerL: 43 * 0.835,
} as const;

const G = 9.81;
/** mL of diesel per J of tractive work: 1 / (η · E_v), E_v in J/mL */
const HEAVY_ML_PER_J = 1 / (HEAVY.efficiency * HEAVY.dieselMjPerL * 1000);
const HEAVY_ROLLING_N = HEAVY.massKg * G * HEAVY.rollingCoefficient;
const HEAVY_HALF_RHO_CDA = 0.5 * HEAVY.airDensity * HEAVY.dragAreaM2;

/** Heavy-vehicle fuel rate, mL/s, at v (m/s) and a (m/s²). */
export function heavyFuelMlPerS(v: number, a: number): number {
  const speed = v > 0 ? v : 0;
  const force = HEAVY.massKg * a + HEAVY_ROLLING_N + HEAVY_HALF_RHO_CDA * speed * speed;
  const power = force * speed;
  return power > 0 ? HEAVY.idleMlPerS + power * HEAVY_ML_PER_J : HEAVY.idleMlPerS;
}

/** Fuel rate, mL/s, of a vehicle of class `cls` at v (m/s) and a (m/s²); 0 for the electric van. */
export function fuelRateMlPerS(cls: number, v: number, a: number): number {
  switch (cls) {
    case CLASS_BUS:
    case CLASS_TRUCK:
      return heavyFuelMlPerS(v, a);
    case CLASS_VAN:
      return 0;
    default:
      return vtMicroFuelMlPerS(v, a);
  }
}

/** g CO₂ per mL of fuel burnt by class `cls` (petrol light-duty, diesel heavy, 0 electric). */
export function co2GPerMl(cls: number): number {
  switch (cls) {
    case CLASS_BUS:
    case CLASS_TRUCK:
      return CO2_G_PER_L_DIESEL / 1000;
    case CLASS_VAN:
      return 0;
    default:
      return CO2_G_PER_L_PETROL / 1000;
  }
}
