// Types of dist.js (plain JavaScript, so that `npm start` can run it before anything compiles TypeScript).
export declare const ROOT: string;
export declare const STAMP: string;
export declare function sourceFingerprint(root?: string): string;
export declare function distIsFresh(root?: string): boolean;
export declare function buildDist(root?: string): Promise<void>;
