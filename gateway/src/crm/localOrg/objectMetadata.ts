export * from '../../../../localorg/src/store/objectMetadata'; // moved: localorg/src/store/objectMetadata.ts; removed once the gateway uses the org APIs
