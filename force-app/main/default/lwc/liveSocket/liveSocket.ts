/**
 * The console's direct socket to the gateway (`/api/v1/live`), in one place: minting a
 * token through Apex, reconnecting with jittered, capped exponential backoff, a heartbeat
 * timeout (a dead connection can be silent), resuming from where the console is, and
 * telling the console when to fall back to event notifications. The console only hears:
 *
 * - `onPage(page)`: a page of this user's changes, exactly as `getChanges` answers it,
 *   continuing from where the console said it is (`position()` when the socket opens,
 *   `resume(epoch, sequence)` after each new snapshot): a reconnect misses nothing, and a
 *   new gateway epoch arrives as a `resnapshot` page;
 * - `onState(state)`: `open` (the socket is the live path), `down` (use events; retrying
 *   in the background), `blocked` (the browser refused the connection under the page's
 *   Content Security Policy: the Trusted URL is not active; no retry until the page
 *   reloads), `revoked` (the user lost Sightline access; no retry).
 */
import mintLiveToken from '@salesforce/apex/SightlineGatewayController.mintLiveToken';
import {
    SOCKET_CLOSE,
    type ChangePage,
    type ConsoleSocketMessage,
    type ConsoleSocketResume,
    type LiveTokenGrant
} from 'c/sightlineLive';

export type LiveSocketState = 'connecting' | 'open' | 'down' | 'blocked' | 'revoked';

export interface LiveSocketOptions {
    onPage(page: ChangePage): void;
    /** Where the console's snapshot is now (none yet: nothing is pushed until `resume`). */
    position?(): { epoch: string; sequence: number } | undefined;
    onState(state: LiveSocketState): void;
    /** Any message arrived, heartbeats included: the connection is alive. */
    onAlive?(): void;
    /** Mints a token (defaults to the Apex method). */
    mint?: () => Promise<LiveTokenGrant>;
    /** The WebSocket constructor (defaults to the browser's). */
    webSocket?: typeof WebSocket;
    /** Where CSP violations are reported (defaults to `document`). */
    violations?: Pick<Document, 'addEventListener' | 'removeEventListener'>;
    /** [0, 1): jitter (defaults to Math.random; seeded in tests). */
    random?: () => number;
    baseDelayMs?: number;
    maxDelayMs?: number;
}

export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 30_000;
/** Heartbeats missed before the connection counts as dead. */
const MISSED_HEARTBEATS = 2;
/** Until `ready` says the gateway's beat, this is how long an opening socket may stay silent. */
const OPENING_TIMEOUT_MS = 15_000;

/**
 * The delay before reconnect attempt `attempt` (0-based): exponential from `base`, capped
 * at `max`, with "equal jitter" (half fixed, half random) so that every console of an org
 * does not reconnect at the same instant after a gateway restart, yet none retries at once.
 */
export function backoffDelay(attempt: number, random: () => number, base: number, max: number) {
    const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export class LiveSocket {
    private socket: WebSocket | undefined;
    private state: LiveSocketState | 'stopped' = 'stopped';
    private attempt = 0;
    private retryTimer: ReturnType<typeof setTimeout> | undefined;
    private silenceTimer: ReturnType<typeof setTimeout> | undefined;
    private heartbeatMs = 0;
    private url: string | undefined;
    private readonly onViolation = (event: Event) => this.violation(event);

    constructor(private readonly options: LiveSocketOptions) {}

    get current(): LiveSocketState | 'stopped' {
        return this.state;
    }

    start(): void {
        if (this.state !== 'stopped') return;
        this.violations()?.addEventListener('securitypolicyviolation', this.onViolation);
        this.connect();
    }

    stop(): void {
        this.state = 'stopped';
        clearTimeout(this.retryTimer);
        clearTimeout(this.silenceTimer);
        this.violations()?.removeEventListener('securitypolicyviolation', this.onViolation);
        const socket = this.socket;
        this.socket = undefined;
        socket?.close(1000, 'The console closed.');
    }

    /** The console took a snapshot: the gateway pushes the changes after it. */
    resume(epoch: string, sequence: number): void {
        if (this.state !== 'open') return; // Sent from `position()` when the socket opens.
        const message: ConsoleSocketResume = { type: 'resume', epoch, since: sequence };
        this.socket?.send(JSON.stringify(message));
    }

    private async connect(): Promise<void> {
        this.setState('connecting');
        let grant: LiveTokenGrant;
        try {
            grant = await (this.options.mint ?? mintLiveToken)();
        } catch {
            // No token (the gateway unreachable, access refused): events meanwhile.
            this.lost();
            return;
        }
        if (this.state !== 'connecting') return;
        this.url = grant.url;
        const Socket = this.options.webSocket ?? WebSocket;
        let socket: WebSocket;
        try {
            socket = new Socket(grant.url);
        } catch (error) {
            // Older browsers throw a SecurityError when CSP refuses the address.
            if ((error as { name?: string }).name === 'SecurityError') this.block();
            else this.lost();
            return;
        }
        this.socket = socket;
        this.watchSilence(OPENING_TIMEOUT_MS);
        socket.addEventListener('open', () => {
            socket.send(JSON.stringify({ type: 'auth', token: grant.token }));
        });
        socket.addEventListener('message', (message: MessageEvent) => {
            if (socket === this.socket) this.receive(String(message.data));
        });
        socket.addEventListener('close', (event: CloseEvent) => {
            if (socket === this.socket) this.closed(event.code);
        });
        // Chromium reports a socket refused by the page's CSP with an error and no close.
        socket.addEventListener('error', () => {
            if (socket === this.socket) this.closed(1006);
        });
    }

    private receive(text: string): void {
        this.options.onAlive?.();
        let message: ConsoleSocketMessage;
        try {
            message = JSON.parse(text) as ConsoleSocketMessage;
        } catch {
            return;
        }
        if (message.type === 'ready') {
            this.heartbeatMs = message.heartbeatMs;
            this.attempt = 0;
            this.setState('open');
            // Whatever moved while the socket was not open is pushed from here.
            const position = this.options.position?.();
            if (position) this.resume(position.epoch, position.sequence);
        } else if (message.type === 'changes') {
            this.options.onPage(message.page);
        }
        if (this.heartbeatMs) this.watchSilence(this.heartbeatMs * MISSED_HEARTBEATS + 1_000);
    }

    private closed(code: number): void {
        this.socket = undefined;
        clearTimeout(this.silenceTimer);
        if (this.state === 'stopped' || this.state === 'blocked') return;
        if (code === SOCKET_CLOSE.revoked) {
            this.setState('revoked');
            return;
        }
        this.lost();
    }

    /** Down: the console falls back to events; try again later. */
    private lost(): void {
        if (this.state === 'stopped' || this.state === 'blocked' || this.state === 'revoked')
            return;
        this.setState('down');
        clearTimeout(this.retryTimer);
        const delay = backoffDelay(
            this.attempt++,
            this.options.random ?? Math.random,
            this.options.baseDelayMs ?? BASE_DELAY_MS,
            this.options.maxDelayMs ?? MAX_DELAY_MS
        );
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            if (this.state === 'down') this.connect();
        }, delay);
    }

    private watchSilence(ms: number): void {
        clearTimeout(this.silenceTimer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.silenceTimer = setTimeout(() => {
            const socket = this.socket;
            this.socket = undefined;
            socket?.close(4000, 'No heartbeat from the gateway.');
            this.lost();
        }, ms);
    }

    private violation(event: Event): void {
        const { violatedDirective, effectiveDirective, blockedURI } =
            event as SecurityPolicyViolationEvent;
        const directive = effectiveDirective || violatedDirective || '';
        if (!directive.startsWith('connect-src') || !this.url) return;
        if (!sameOrigin(blockedURI, this.url)) return;
        this.block();
    }

    private block(): void {
        clearTimeout(this.retryTimer);
        clearTimeout(this.silenceTimer);
        const socket = this.socket;
        this.socket = undefined;
        socket?.close();
        this.setState('blocked');
    }

    private setState(state: LiveSocketState): void {
        if (this.state === state || (this.state === 'stopped' && state !== 'connecting')) return;
        this.state = state;
        this.options.onState(state);
    }

    private violations(): LiveSocketOptions['violations'] | undefined {
        return this.options.violations ?? (typeof document === 'undefined' ? undefined : document);
    }
}

/** Whether a CSP report's blocked URI names the socket's origin (reports may trim paths). */
function sameOrigin(blocked: string, url: string): boolean {
    try {
        return new URL(blocked).host === new URL(url).host;
    } catch {
        return false;
    }
}
