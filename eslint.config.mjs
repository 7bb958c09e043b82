// Linter settings: `npm run lint` runs ESLint (these rules) and Prettier (formatting, .prettierrc.json) over the tree.
import js from "@eslint/js";
import stylistic from "@stylistic/eslint-plugin";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".peers/**", ".devstack/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { "@stylistic": stylistic },
    rules: {
      // Prettier wraps code at 120 columns; this also holds comments to it. Long strings and URLs may not be split.
      "@stylistic/max-len": [
        "error",
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // a closure may read a variable that is assigned once, after the closure is built
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // CommonJS programs (the benchmarks' floor programs, run directly by node) load modules with require().
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // The stand-ins store and patch the JSON objects they are sent.
    files: ["devstack/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Tests read loosely typed JSON from real servers and fixtures.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-unused-expressions": "off" },
  },
);
