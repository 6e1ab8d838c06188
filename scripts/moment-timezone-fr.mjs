// Stands in for `moment-timezone` in the bundles (vite.config.ts, scripts/bundle.mjs): the library
// without its world-wide data (700 kB), loaded with the time zones of France's holiday zones only.
// date-holidays-parser needs those zones to place each holiday; Node's own runs (tests, tsx) keep the
// full package, and test/unit/holidays-data.test.ts proves the subset gives the same zones.
import moment from 'moment-timezone/moment-timezone.js';
import zones from './moment-timezone-fr.json';

moment.tz.load(zones);
export default moment;
