export declare const MMAP_THRESHOLD: string;
export declare function serverEnvironment(
  env: NodeJS.ProcessEnv,
  platform?: NodeJS.Platform,
): NodeJS.ProcessEnv;
