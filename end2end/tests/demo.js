// The demo accounts' shared credentials (`continuum seed-demo`, `CONTINUUM_DEMO_DATA`): their password and the
// authenticator key of those whose role needs a second factor.
const DEMO_PASSWORD = 'continuum demo 2026';
const DEMO_TOTP = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

module.exports = { DEMO_PASSWORD, DEMO_TOTP };
