// The Shadowserver report types of the schema the program compiles in, made at build time by
// vite.config.ts (shadowserverReports): `name` is what POST /reports takes as `report`.
declare module "virtual:shadowserver-reports" {
  const reports: readonly { name: string; feed: string }[];
  export default reports;
}
