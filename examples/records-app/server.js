// npm start: Records with its settings from the environment.
import { startRecordsApp } from './app.js';

const REQUIRED = ['GATEHOUSE_ISSUER', 'CLIENT_ID', 'CLIENT_SECRET'];
const missing = REQUIRED.filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(`records-app: set ${missing.join(', ')} (see README.md, "Plugging a school system in")`);
  process.exit(2);
}

const app = await startRecordsApp({
  issuer: process.env.GATEHOUSE_ISSUER,
  clientId: process.env.CLIENT_ID,
  clientSecret: process.env.CLIENT_SECRET,
  redirectUri: process.env.REDIRECT_URI,
  postLogoutRedirectUri: process.env.POST_LOGOUT_REDIRECT_URI,
  port: Number(process.env.PORT ?? 4000),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(`Records is at ${app.url} (redirect URI ${app.redirectUri}; back-channel logout at ${app.url}/backchannel-logout)`);
