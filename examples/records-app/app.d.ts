// The types of app.js, for the repository's tests that start Records in-process.
export declare const ACR_FULL = 'urn:gatehouse:acr:full';
export declare const ACR_BASIC = 'urn:gatehouse:acr:basic';

export interface RecordsAppOptions {
  /** Gatehouse's issuer (its PUBLIC_URL). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Default: this server's /callback. */
  redirectUri?: string | undefined;
  /** A sign-out return address registered with Gatehouse; without one Gatehouse shows its own signed-out page. */
  postLogoutRedirectUri?: string | undefined;
  /** 0 (default): any free port. */
  port?: number;
  host?: string;
}

export interface RecordsApp {
  url: string;
  redirectUri: string;
  close(): Promise<void>;
}

export declare function startRecordsApp(options: RecordsAppOptions): Promise<RecordsApp>;
