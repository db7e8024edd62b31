/** Engine version: recorded in every manifest; snapshots and traces from another version are refused. */
export const ENGINE_VERSION = '0.1.0';
