/**
 * Stand-in for `lightning/navigation`: NavigationMixin (Navigate, GenerateUrl) and the
 * CurrentPageReference wire adapter. Page references map to Lightning Experience's own URL
 * shapes (`/lightning/r/{recordId}/view`, `/lightning/o/{object}/list`, `/lightning/n/{tab}`)
 * and navigation uses the history API, so links are real paths that survive a reload.
 */
export interface PageReference {
    type: string;
    attributes?: Record<string, string | undefined>;
    state?: Record<string, string | undefined>;
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

/** Fired on window after a programmatic navigation (pushState fires no popstate). */
export const LOCATION_CHANGED = 'sightline:locationchange';

export const DEFAULT_TAB = 'Sightline_Console';

export function pageReferenceToUrl(pageRef: PageReference): string {
    const a = pageRef.attributes ?? {};
    const part = (value: string | undefined) => encodeURIComponent(value ?? '');
    switch (pageRef.type) {
        case 'standard__recordPage':
            // Lightning's full form names the object; it also accepts the id alone.
            return a.objectApiName
                ? `/lightning/r/${part(a.objectApiName)}/${part(a.recordId)}/${part(a.actionName ?? 'view')}`
                : `/lightning/r/${part(a.recordId)}/${part(a.actionName ?? 'view')}`;
        case 'standard__objectPage':
            return `/lightning/o/${part(a.objectApiName)}/${part(a.actionName ?? 'list')}`;
        case 'standard__navItemPage':
            return `/lightning/n/${part(a.apiName)}`;
        case 'standard__webPage':
            return a.url ?? '/';
        default:
            throw new Error(`Unsupported page reference type: ${pageRef.type}`);
    }
}

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function urlToPageReference(pathname: string): PageReference {
    const record = /^\/lightning\/r\/(?:([^/?#]+)\/)?([^/?#]+)\/([^/?#]+)/.exec(pathname);
    if (record && RECORD_ID.test(decodeURIComponent(record[2]!))) {
        const [, objectApiName, recordId, actionName] = record;
        return {
            type: 'standard__recordPage',
            attributes: {
                recordId: decodeURIComponent(recordId!),
                actionName: decodeURIComponent(actionName!),
                ...(objectApiName ? { objectApiName: decodeURIComponent(objectApiName) } : {})
            }
        };
    }
    const [, kind, value, action] =
        /^\/lightning\/(o|n)\/([^/?#]+)(?:\/([^/?#]+))?/.exec(pathname) ?? [];
    const decoded = value ? decodeURIComponent(value) : '';
    if (kind === 'o')
        return {
            type: 'standard__objectPage',
            attributes: { objectApiName: decoded, actionName: action ?? 'list' }
        };
    return { type: 'standard__navItemPage', attributes: { apiName: decoded || DEFAULT_TAB } };
}

/** Moves to a URL of the app without reloading, as Lightning Experience does. */
export function navigateTo(url: string, replace = false): void {
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    window.dispatchEvent(new Event(LOCATION_CHANGED));
}

// A mixin constructor must accept any arguments (TypeScript requires `any[]` here, TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T = object> = new (...args: any[]) => T;

function NavigationMixinImpl<T extends Constructor>(Base: T) {
    return class extends Base {
        [Navigate](pageRef: PageReference, replace = false): void {
            const url = pageReferenceToUrl(pageRef);
            if (pageRef.type === 'standard__webPage') {
                window.open(url, '_blank', 'noopener');
            } else {
                navigateTo(url, replace);
            }
        }

        [GenerateUrl](pageRef: PageReference): Promise<string> {
            return Promise.resolve(pageReferenceToUrl(pageRef));
        }
    };
}

export const NavigationMixin = Object.assign(NavigationMixinImpl, { Navigate, GenerateUrl });

type DataCallback = (pageRef: PageReference) => void;

/** Wire adapter: emits the current page reference and every change of it. */
export class CurrentPageReference {
    private readonly listener = () => this.callback(urlToPageReference(window.location.pathname));

    constructor(private readonly callback: DataCallback) {}

    connect(): void {
        window.addEventListener('popstate', this.listener);
        window.addEventListener(LOCATION_CHANGED, this.listener);
        this.listener();
    }

    disconnect(): void {
        window.removeEventListener('popstate', this.listener);
        window.removeEventListener(LOCATION_CHANGED, this.listener);
    }

    update(): void {
        this.listener();
    }
}
