/**
 * Stand-in for `@salesforce/apex/Class.method` imports: each becomes a callable that is
 * also a wire adapter, as on the platform. Calls go to the local gateway, which runs the
 * same handler the Apex class would reach through its Named Credential.
 */
import { requestJson } from 'local/transport';

type Params = Record<string, unknown> | undefined;
type DataCallback = (value: { data: unknown; error: unknown }) => void;

interface ApexMethod {
    (params?: Params): Promise<unknown>;
    adapter: new (callback: DataCallback) => unknown;
}

/** Wired values remember their adapter so that refreshApex(value) can re-run it. */
const refreshers = new WeakMap<object, () => Promise<void>>();

export function callApex(className: string, methodName: string, params?: Params): Promise<unknown> {
    return requestJson(
        'POST',
        `/local/apex/${encodeURIComponent(className)}/${encodeURIComponent(methodName)}`,
        params ?? {}
    );
}

export function apexMethod(className: string, methodName: string): ApexMethod {
    const call = ((params?: Params) => callApex(className, methodName, params)) as ApexMethod;
    call.adapter = class ApexWireAdapter {
        private config: Params;
        private connected = false;

        constructor(private readonly callback: DataCallback) {}

        connect(): void {
            this.connected = true;
        }

        disconnect(): void {
            this.connected = false;
        }

        update(config: Params): void {
            this.config = config;
            void this.run();
        }

        private async run(): Promise<void> {
            let value: { data: unknown; error: unknown };
            try {
                value = { data: await call(this.config), error: undefined };
            } catch (error) {
                value = { data: undefined, error };
            }
            if (!this.connected) return;
            refreshers.set(value, () => this.run());
            this.callback(value);
        }
    };
    return call;
}

export function refreshApex(wiredValue: unknown): Promise<void> {
    const refresh =
        typeof wiredValue === 'object' && wiredValue !== null
            ? refreshers.get(wiredValue)
            : undefined;
    return refresh ? refresh() : Promise.resolve();
}

export function getSObjectValue(
    record: Record<string, unknown>,
    field: string | { fieldApiName: string }
): unknown {
    const path = typeof field === 'string' ? field : field.fieldApiName;
    return path
        .split('.')
        .reduce<unknown>(
            (value, part) => (value as Record<string, unknown> | undefined)?.[part],
            record
        );
}
