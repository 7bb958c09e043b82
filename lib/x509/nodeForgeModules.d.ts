// node-forge's single modules (each adds its part to the one forge object it exports); @types/node-forge types only
// the package's index, which loads all of forge (TLS, SSH, ...). Their exports are typed where they are imported.
declare module "node-forge/lib/*";
