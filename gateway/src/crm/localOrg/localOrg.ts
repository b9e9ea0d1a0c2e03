export * from '../../../../localorg/src/store/localOrg'; // moved: localorg/src/store/localOrg.ts; removed once the gateway uses the org APIs
