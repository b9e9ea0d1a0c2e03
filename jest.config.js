// LWC unit tests with sfdx-lwc-jest. The engine's tests run under Node's test runner
// (npm run test:unit) with the gateway's, so jest leaves them alone.
import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js';

const { jestConfig } = sfdxLwcJest;

export default {
    ...jestConfig,
    roots: ['<rootDir>/force-app'],
    testPathIgnorePatterns: [
        ...(jestConfig.testPathIgnorePatterns ?? []),
        '/node_modules/',
        '<rootDir>/force-app/main/default/lwc/sightlineEngine/'
    ],
    modulePathIgnorePatterns: ['<rootDir>/.build/']
};
