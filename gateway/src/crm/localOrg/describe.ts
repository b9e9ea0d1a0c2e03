export * from '../../../../localorg/src/store/describe'; // moved: localorg/src/store/describe.ts; removed once the gateway uses the org APIs
