/**
 * ESLint for the whole repo (`npm run lint`, the first step of `npm test`).
 *
 * - TypeScript (gateway, tracker, scripts, shell, e2e, the local org): typescript-eslint's
 *   type-aware recommended rules through the project service (each file is checked with the
 *   tsconfig that owns it).
 * - Lightning web components, as the platform sees them: the `.js` that `tsc` emits from each
 *   bundle's TypeScript (force-app/main/default/lwc/tsconfig.json), with Salesforce's
 *   recommended LWC rules (@salesforce/eslint-config-lwc v4). Those files exist only after a
 *   build, so `npm run validate` (scripts/validate/) builds and lints them.
 *
 * Layout belongs to Prettier (.prettierrc.json, checked by `prettier --check`): rules about
 * layout would fight the formatter's output, so eslint-config-prettier turns them off.
 */
import lwcConfig from '@salesforce/eslint-config-lwc';
import prettierConfig from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const LWC_FILES = ['force-app/**/lwc/**/*.js'];
const TS_FILES = [
    'gateway/**/*.ts',
    'tracker/**/*.ts',
    'scripts/**/*.ts',
    'shell/**/*.ts',
    'e2e/**/*.ts',
    'localorg/**/*.ts'
];
const TS_TESTS = TS_FILES.map((glob) => glob.replace(/\*\.ts$/, '*.test.ts'));

export default [
    {
        // Generated: the shell's .js is built from its TypeScript (npm run build).
        ignores: [
            '**/__tests__/**',
            '**/node_modules/**',
            '.build/**',
            '**/*.d.ts',
            'shell/modules/**/*.js',
            'shell/src/*.js'
        ]
    },
    ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: LWC_FILES })),
    {
        files: LWC_FILES,
        languageOptions: { sourceType: 'module', ecmaVersion: 'latest' }
    },
    ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TS_FILES })),
    {
        files: TS_FILES,
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
        },
        rules: {
            // The CRM port, the Apex stand-in and fastify plugins are async by contract; an
            // implementation that happens to answer synchronously (the local org over SQLite)
            // keeps the contract's signature so the Salesforce adapter can await.
            '@typescript-eslint/require-await': 'off',
            // Signal handlers, DOM listeners and LWC lifecycle hooks may be async: each catches
            // and reports its own errors, and the caller has nothing to await.
            '@typescript-eslint/no-misused-promises': [
                'error',
                {
                    checksVoidReturn: {
                        arguments: false,
                        inheritedMethods: false,
                        properties: false
                    }
                }
            ],
            // `ws` hands text frames over as a Buffer (its default binaryType), which
            // stringifies as UTF-8.
            '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['RawData'] }],
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
            ]
        }
    },
    {
        // Metadata XML read with fast-xml-parser, whose output is untyped: the reader checks
        // each value it uses before trusting it.
        files: [
            'localorg/src/store/objectMetadata.ts',
            'localorg/src/store/customMetadataRecords.ts'
        ],
        rules: {
            '@typescript-eslint/no-unsafe-assignment': 'off',
            '@typescript-eslint/no-unsafe-member-access': 'off'
        }
    },
    {
        files: TS_TESTS,
        rules: {
            // node:test's test() and describe() return promises the runner itself awaits.
            '@typescript-eslint/no-floating-promises': [
                'error',
                {
                    allowForKnownSafeCalls: [
                        {
                            from: 'package',
                            package: 'node:test',
                            name: ['test', 'it', 'describe', 'suite']
                        }
                    ]
                }
            ],
            // Tests read HTTP answers as JSON (`any` in fastify's and fetch's types) and
            // assert on their shape; typing every answer would restate the schemas under test.
            '@typescript-eslint/no-unsafe-member-access': 'off',
            '@typescript-eslint/no-unsafe-argument': 'off',
            '@typescript-eslint/no-unsafe-assignment': 'off'
        }
    },
    { ...prettierConfig, files: [...LWC_FILES, ...TS_FILES] }
];
