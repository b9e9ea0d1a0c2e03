/**
 * Stand-in for `lightning/navigation`: NavigationMixin (Navigate, GenerateUrl) and the
 * CurrentPageReference wire adapter. Page references become hash routes of the local shell
 * (`#/r/{recordId}` for record pages, `#/n/{apiName}` for navigation items), which is the
 * one place that knows it is not Lightning Experience.
 */
export interface PageReference {
    type: string;
    attributes?: Record<string, string | undefined>;
    state?: Record<string, string | undefined>;
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export function pageReferenceToUrl(pageRef: PageReference): string {
    const a = pageRef.attributes ?? {};
    switch (pageRef.type) {
        case 'standard__recordPage':
            return `#/r/${encodeURIComponent(a.recordId ?? '')}`;
        case 'standard__objectPage':
            return `#/o/${encodeURIComponent(a.objectApiName ?? '')}`;
        case 'standard__navItemPage':
            return `#/n/${encodeURIComponent(a.apiName ?? '')}`;
        case 'standard__webPage':
            return a.url ?? '#';
        default:
            throw new Error(`Unsupported page reference type: ${pageRef.type}`);
    }
}

export function urlToPageReference(hash: string): PageReference {
    const [, kind, value] = /^#\/(r|o|n)\/([^/?]+)/.exec(hash) ?? [];
    const decoded = value ? decodeURIComponent(value) : '';
    if (kind === 'r') return { type: 'standard__recordPage', attributes: { recordId: decoded, actionName: 'view' } };
    if (kind === 'o') return { type: 'standard__objectPage', attributes: { objectApiName: decoded, actionName: 'list' } };
    return { type: 'standard__navItemPage', attributes: { apiName: decoded || 'Sightline_Console' } };
}

type Constructor<T = object> = new (...args: any[]) => T;

function NavigationMixinImpl<T extends Constructor>(Base: T) {
    return class extends Base {
        [Navigate](pageRef: PageReference, replace = false): void {
            const url = pageReferenceToUrl(pageRef);
            if (pageRef.type === 'standard__webPage') {
                window.open(url, '_blank', 'noopener');
            } else if (replace) {
                window.location.replace(url);
            } else {
                window.location.hash = url.slice(1);
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
    private readonly listener = () => this.callback(urlToPageReference(window.location.hash));

    constructor(private readonly callback: DataCallback) {}

    connect(): void {
        window.addEventListener('hashchange', this.listener);
        this.listener();
    }

    disconnect(): void {
        window.removeEventListener('hashchange', this.listener);
    }

    update(): void {
        this.listener();
    }
}
