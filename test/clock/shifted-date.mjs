// Moves this process's wall clock by PAPERWIRE_CLOCK_SHIFT_MS (loaded with `node --import`, inherited by
// every child process through NODE_OPTIONS): `Date.now()` and `new Date()` read the shifted time; timers,
// `performance.now()` and Redis/FerretDB are untouched. Every process of a run gets the same shift, so they
// agree on the time, which a per-process fake start time (libfaketime's `@` mode) would not.
const shift = Number(process.env.PAPERWIRE_CLOCK_SHIFT_MS ?? 0);

if (Number.isFinite(shift) && shift !== 0 && !globalThis.__paperwireClockShift) {
  const RealDate = Date;
  const now = () => RealDate.now() + shift;
  globalThis.__paperwireClockShift = shift;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, prop, receiver) {
      return prop === 'now' ? now : Reflect.get(target, prop, receiver);
    },
  });
}
