interface ImportMetaEnv {
  /** Set per build by `wxt.config.ts` (the popup's picture of its last state is tied to it). */
  readonly BUILD_ID: string;
}
