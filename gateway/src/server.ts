/**
 * The gateway process: picks the composition root from the settings. With SIGHTLINE_ORG
 * the gateway serves that Salesforce org (production: product routes only); without it,
 * local mode runs it on the local org with the shell and the stand-ins.
 */
import type { GatewayConfig } from './config';
import { startLocalGateway } from './local/localMode';
import type { RunningGateway } from './runningGateway';
import { startProductionGateway } from './production';

export type { RunningGateway } from './runningGateway';
export { PortInUseError } from './listen';

export async function startGateway(
    config: GatewayConfig,
    options: { reset?: boolean; trustedUrl?: boolean; gateways?: number } = {}
): Promise<RunningGateway> {
    return config.mode === 'org'
        ? startProductionGateway(config)
        : startLocalGateway(config, options);
}
