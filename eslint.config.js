/**
 * ESLint for the Lightning web components, as the platform sees them: the `.js` that
 * `tsc` emits from each bundle's TypeScript (force-app/main/default/lwc/tsconfig.json).
 * Salesforce's recommended LWC rules (@salesforce/eslint-config-lwc v4, flat configs),
 * scoped to the bundles; tests and the TypeScript sources are not linted here.
 * Run through `npm run validate` (scripts/validate/), which builds the `.js` first.
 */
import lwcConfig from '@salesforce/eslint-config-lwc';
// Layout belongs to Prettier (.prettierrc.json): rules about layout, such as
// no-confusing-arrow, would fight the formatter's output, so they are turned off.
import prettierConfig from 'eslint-config-prettier';

const LWC_FILES = ['force-app/**/lwc/**/*.js'];

export default [
    { ignores: ['**/__tests__/**', '**/node_modules/**'] },
    ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: LWC_FILES })),
    {
        files: LWC_FILES,
        languageOptions: { sourceType: 'module', ecmaVersion: 'latest' }
    },
    { ...prettierConfig, files: LWC_FILES }
];
