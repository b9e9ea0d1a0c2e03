/**
 * The decision engine, imported from its one source: the LWC service module under
 * force-app that the admin setup pages use on the platform.
 */
export * from '../../../force-app/main/default/lwc/sightlineEngine/sightlineEngine';
