export interface Config {
  /** Settings of the demo portal's own modules (packages/backend/src). */
  demo?: {
    /**
     * Builds every entity's TechDocs soon after start (src/demoDocsPrebuild.ts).
     * Default true; tests that boot several backends switch it off.
     */
    prebuildDocs?: boolean;
  };
}
