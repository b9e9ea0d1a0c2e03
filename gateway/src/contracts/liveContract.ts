/** The console contract lives with the LWCs (one source); the gateway uses the same file. */
export * from '../../../force-app/main/default/lwc/sightlineLive/liveContract';
