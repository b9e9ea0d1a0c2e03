/**
 * The Sightline tracker: one script tag on the website.
 *
 *   <script>window.sightline=window.sightline||function(){(sightline.q=sightline.q||[]).push(arguments)}</script>
 *   <script defer src="https://gateway.example/tracker/sightline.js" data-site-key="…"></script>
 *
 * Every entry point (the public function, listeners, timers) is wrapped: nothing the
 * tracker does can throw into the host page. See docs/TRACKER.md.
 */
import { Activity } from './activity';
import { automatedBrowser } from './automation';
import { Batcher, retryable, type SendResult } from './batcher';
import { doNotTrackOn, trackingAllowed } from './consent';
import { identityFromFields, validEmail } from './forms';
import { Identity, KEYS, newId, safeStore } from './ids';
import { TabCounter, type TabMessage } from './tabs';
import type {
    ChatHost,
    CollectRequestInput,
    CollectResponse,
    TrackerEventInput,
    VisitorChatState
} from './types';
import { parseUserAgent } from './ua';
import { readUtm, type Utm } from './utm';

type Fn = (...args: never[]) => unknown;
interface SightlineGlobal {
    (command: string, ...args: unknown[]): void;
    q?: ArrayLike<unknown>[];
    loaded?: boolean;
}
const w = window as unknown as Window & {
    sightline?: SightlineGlobal;
    __sightlineChatHost?: ChatHost;
};
const d = document;

function safe<F extends Fn>(fn: F): F {
    return ((...args: never[]) => {
        try {
            return fn(...args);
        } catch {
            return undefined; // never into the host page
        }
    }) as F;
}

const now = () => Date.now();

function boot(): void {
    if (w.sightline?.loaded) return;
    const script =
        (d.currentScript as HTMLScriptElement | null) ??
        d.querySelector<HTMLScriptElement>('script[data-site-key]');
    if (!script) return;
    const data = script.dataset;
    const siteKey = data.siteKey ?? '';
    const seconds = (value: string | undefined, fallback: number) => {
        const n = Number(value);
        return (value && n > 0 ? n : fallback) * 1000;
    };
    const gateway = (data.gateway || new URL(script.src, location.href).origin).replace(/\/$/, '');
    const idleAfterMs = seconds(data.idleAfter, 30);
    const heartbeatMs = seconds(data.heartbeat, 15);
    const flushMs = seconds(data.flush, 5);
    const consentRequired = data.consent === 'required';
    const chatEnabled = data.chat !== 'off';
    const chatSrc = data.chatSrc || new URL('sightline-chat.js', script.src).href;
    const local = safeStore(() => w.localStorage);
    const perTab = safeStore(() => w.sessionStorage);
    const dnt = doNotTrackOn(
        navigator.doNotTrack ?? (w as unknown as { doNotTrack?: string }).doNotTrack
    );

    let session: ReturnType<typeof track> | undefined;
    let pendingIdentify: TrackerEventInput | undefined;

    const allowed = () =>
        !dnt &&
        trackingAllowed({
            doNotTrack: null,
            consentRequired,
            consentGiven: local.getItem(KEYS.consent) === '1'
        });
    const startIfAllowed = () => {
        if (!session && siteKey && allowed()) {
            session = track({
                siteKey,
                consented: consentRequired,
                gateway,
                idleAfterMs,
                heartbeatMs,
                flushMs,
                chatEnabled,
                chatSrc,
                local,
                perTab
            });
            if (pendingIdentify) session.push(pendingIdentify, true);
            pendingIdentify = undefined;
        }
    };

    const api: SightlineGlobal = safe((command: string, ...args: unknown[]) => {
        if (command === 'consent') {
            if (args[0] === false) {
                session?.stop();
                session = undefined;
                new Identity(local, perTab, now, () => '').clear();
            } else if (consentRequired) {
                // Remembered from now on, so the next pages need not ask again.
                local.setItem(KEYS.consent, '1');
            }
            startIfAllowed();
        } else if (command === 'identify') {
            const p = (args[0] ?? {}) as Record<string, unknown>;
            const text = (v: unknown) =>
                typeof v === 'string' && v.trim() ? v.trim().slice(0, 255) : undefined;
            const email = text(p.email);
            if (!email || !validEmail(email)) return;
            const event: TrackerEventInput = {
                type: 'identify',
                ts: now(),
                email,
                firstName: text(p.firstName),
                lastName: text(p.lastName),
                company: text(p.company),
                source: 'api'
            };
            if (session) session.push(event, true);
            else if (!dnt) pendingIdentify = event;
        } else if (command === 'pageview') {
            session?.pageview(true);
        } else if (command === 'chat') {
            session?.openChat();
        }
    });
    api.loaded = true;
    const queued = w.sightline?.q ?? [];
    w.sightline = api;
    startIfAllowed();
    for (const call of queued) api(...(Array.prototype.slice.call(call) as [string, ...unknown[]]));
}

interface TrackOptions {
    siteKey: string;
    /** Tracking started on the visitor's consent (the site requires it): every batch says so. */
    consented: boolean;
    gateway: string;
    idleAfterMs: number;
    heartbeatMs: number;
    flushMs: number;
    chatEnabled: boolean;
    chatSrc: string;
    local: ReturnType<typeof safeStore>;
    perTab: ReturnType<typeof safeStore>;
}

/** Starts tracking this page; returns what the public API needs. */
function track(o: TrackOptions) {
    let stopped = false;
    const cleanup: (() => void)[] = [];
    const on = (
        target: EventTarget,
        type: string,
        fn: (event: Event) => void,
        options: AddEventListenerOptions = { capture: true, passive: true }
    ) => {
        const handler = safe(fn);
        target.addEventListener(type, handler, options);
        cleanup.push(() => target.removeEventListener(type, handler, options));
    };
    const every = (ms: number, fn: () => void) => {
        const handle = setInterval(safe(fn), ms);
        cleanup.push(() => clearInterval(handle));
    };

    const identity = new Identity(o.local, o.perTab, now, () =>
        newId((n) => crypto.getRandomValues(new Uint8Array(n)))
    );
    const device = parseUserAgent(navigator.userAgent, navigator.maxTouchPoints || 0);
    const automated = automatedBrowser(navigator);
    let deviceSent = false;
    let utm: Utm | undefined;
    /** Starts a new visit when the last one timed out: the landing UTM go with its first batch. */
    const visit = () => {
        const s = identity.session();
        if (s.isNew) utm = readUtm(location.search);
        return s;
    };
    visit();

    const chatListeners: ((chat: VisitorChatState) => void)[] = [];
    let lastChat: VisitorChatState | undefined;
    const setChat = (chat: VisitorChatState | undefined) => {
        if (!chat || typeof chat !== 'object') return;
        lastChat = chat;
        for (const listener of chatListeners) safe(listener)(chat);
    };

    async function send(events: TrackerEventInput[], unloading: boolean): Promise<SendResult> {
        const body: CollectRequestInput = {
            siteKey: o.siteKey,
            visitorId: identity.visitorId,
            sessionId: visit().id,
            tabId: identity.tabId,
            events
        };
        if (utm) body.utm = utm;
        if (!deviceSent) body.device = device;
        if (o.consented) body.consent = true;
        if (automated) body.automated = true;
        // The visit in the URL too: a balancer in front of several gateways sends all of a
        // visit's beacons to one of them without reading the body.
        const url = `${o.gateway}/v1/collect?sessionId=${encodeURIComponent(body.sessionId)}`;
        const result = await post(url, JSON.stringify(body), unloading);
        if (result.status && !retryable(result.status)) {
            utm = undefined;
            deviceSent = true;
        }
        return result;
    }

    let currentUrl = '';
    let maxDepth = 0;
    let depthSent = 0;
    const measureScroll = () => {
        const doc = d.documentElement;
        const height = Math.max(doc.scrollHeight, d.body?.scrollHeight ?? 0, 1);
        const depth = Math.min(1, Math.round(((w.scrollY + w.innerHeight) / height) * 100) / 100);
        if (depth > maxDepth) maxDepth = depth;
    };
    const pushScroll = () => {
        if (currentUrl && maxDepth > depthSent) {
            depthSent = maxDepth;
            batcher.push({ type: 'scroll', ts: now(), url: currentUrl, depth: maxDepth });
        }
    };

    const batcher = new Batcher({
        clock: {
            now,
            setTimeout: (fn, ms) => setTimeout(safe(fn), ms),
            clearTimeout: (h) => clearTimeout(h as number)
        },
        send,
        flushIntervalMs: o.flushMs,
        beforeFlush: pushScroll,
        onResponse: (body) => setChat((body as CollectResponse | undefined)?.chat)
    });
    const push = (event: TrackerEventInput, flushNow = false) => {
        batcher.push(event);
        if (flushNow) void batcher.flush();
    };

    const urlOf = (href: string) => {
        if (href.length <= 2048) return href;
        const u = new URL(href);
        return (u.origin + u.pathname).slice(0, 2048);
    };
    const withoutHash = (href: string) => href.split('#')[0];
    function pageview(spa: boolean) {
        const url = urlOf(location.href);
        if (spa && withoutHash(url) === withoutHash(currentUrl)) return;
        pushScroll();
        const referrer = spa ? currentUrl : d.referrer.length <= 2048 ? d.referrer : '';
        currentUrl = url;
        maxDepth = depthSent = 0;
        identity.touch();
        push({
            type: 'pageview',
            ts: now(),
            url,
            title: d.title.slice(0, 300),
            referrer: /^https?:/.test(referrer) ? referrer : '',
            spa
        });
        // Frameworks set the title after pushState: measure once the new view has rendered.
        setTimeout(safe(measureScroll), 50);
    }

    // Single-page apps: wrap the history API (the page's own call runs first, untouched).
    const navigated = safe(() =>
        setTimeout(
            safe(() => pageview(true)),
            0
        )
    );
    for (const method of ['pushState', 'replaceState'] as const) {
        const original = history[method].bind(history);
        history[method] = function (...args: Parameters<History['pushState']>) {
            const result = original(...args);
            if (!stopped) navigated();
            return result;
        };
        cleanup.push(() => (history[method] = original));
    }
    on(w, 'popstate', navigated);
    on(w, 'scroll', measureScroll);

    // Active / idle.
    const activity = new Activity(o.idleAfterMs, now);
    const engaged = () => d.visibilityState === 'visible' && d.hasFocus();
    activity.engagement(engaged());
    activity.transition();
    let lastTouch = now();
    const input = () => {
        activity.input();
        if (now() - lastTouch > 5000) {
            lastTouch = now();
            if (visit().isNew) pageview(false);
            identity.touch();
        }
    };
    for (const type of ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel', 'scroll'])
        on(w, type, input);
    const engagementChanged = () => {
        activity.engagement(engaged());
        tick();
    };
    on(w, 'focus', engagementChanged);
    on(w, 'blur', engagementChanged);
    on(d, 'visibilitychange', () => {
        engagementChanged();
        if (d.visibilityState === 'hidden') void batcher.flush();
    });

    // Tabs open on the site.
    let channel: { post(m: TabMessage): void; close(): void };
    const tabs = new TabCounter(identity.tabId, now, (m) => channel.post(m));
    const tabsChanged = () => {
        const count = tabs.changed();
        if (count !== undefined) push({ type: 'tabs', ts: now(), count });
    };
    const received = (message: unknown) => {
        tabs.receive(message);
        tabsChanged();
    };
    if (typeof BroadcastChannel === 'function') {
        const bc = new BroadcastChannel('sightline-tabs');
        bc.onmessage = safe((event: MessageEvent) => received(event.data));
        channel = { post: (m) => bc.postMessage(m), close: () => bc.close() };
    } else {
        const key = 'sightline:tabs';
        on(w, 'storage', (event) => {
            const e = event as StorageEvent;
            if (e.key === key && e.newValue) received(JSON.parse(e.newValue));
        });
        channel = {
            post: (m) => o.local.setItem(key, JSON.stringify({ ...m, n: Math.random() })),
            close: () => undefined
        };
    }
    cleanup.push(() => channel.close());

    let lastHeartbeat = now();
    let lastAnnounce = now();
    function tick() {
        const state = activity.transition();
        if (state) {
            push({ type: 'activity', ts: now(), state });
            if (state === 'active' && visit().isNew) pageview(false);
        }
        if (d.visibilityState === 'visible' && now() - lastHeartbeat >= o.heartbeatMs) {
            lastHeartbeat = now();
            push({ type: 'heartbeat', ts: now(), active: activity.isActive() });
        }
        if (now() - lastAnnounce >= 10_000) {
            lastAnnounce = now();
            tabs.announce();
        }
        tabsChanged();
    }
    every(1000, tick);

    // Identification from forms with an email field.
    on(d, 'submit', (event) => {
        const form = event.target as HTMLFormElement;
        const fields = Array.prototype.map.call(form.elements ?? [], (el: HTMLInputElement) => ({
            type: el.type || '',
            hints: [
                el.name,
                el.id,
                el.getAttribute('autocomplete'),
                el.getAttribute('aria-label')
            ].join(' '),
            value: typeof el.value === 'string' ? el.value : ''
        })) as { type: string; hints: string; value: string }[];
        const who = identityFromFields(fields);
        if (who) push({ type: 'identify', ts: now(), ...who, source: 'form' }, true);
    });

    // Leaving: hand everything to the browser.
    on(w, 'pagehide', () => {
        tabs.announce('bye');
        batcher.drain();
    });
    on(w, 'pageshow', (event) => {
        if ((event as PageTransitionEvent).persisted) tabs.announce('hello');
    });

    // The chat UI, loaded lazily as its own script.
    let chatRequested = false;
    const host: ChatHost = {
        gateway: o.gateway,
        siteKey: o.siteKey,
        ids: () => ({ visitorId: identity.visitorId, sessionId: visit().id }),
        requestChat: (message) =>
            push({ type: 'chat-request', ts: now(), message: message.slice(0, 2000) }, true),
        onChat: (listener) => {
            chatListeners.push(listener);
            if (lastChat) safe(listener)(lastChat);
        }
    };
    const loadChat = () => {
        if (chatRequested) return;
        chatRequested = true;
        w.__sightlineChatHost = host;
        const el = d.createElement('script');
        el.src = o.chatSrc;
        el.async = true;
        d.head.appendChild(el);
    };
    if (o.chatEnabled) {
        const later = () => setTimeout(safe(loadChat), 500);
        if (d.readyState === 'complete') later();
        else on(w, 'load', later);
    }

    pageview(false);
    tabs.announce('hello');
    tabsChanged();

    return {
        push,
        pageview: (spa: boolean) => pageview(spa),
        openChat: () => {
            loadChat();
            host.open?.();
        },
        stop() {
            stopped = true;
            for (const undo of cleanup) safe(undo)();
        }
    };
}

/**
 * POSTs a batch; while the page unloads, a keepalive fetch (or a beacon) that outlives it.
 * The body is JSON sent as text/plain: a CORS-safelisted type, so the gateway on its own
 * origin is reached without a preflight, which a keepalive fetch or a beacon may not make.
 */
async function post(url: string, body: string, unloading: boolean): Promise<SendResult> {
    const type = 'text/plain;charset=UTF-8';
    const init: RequestInit = {
        method: 'POST',
        body,
        headers: { 'content-type': type },
        keepalive: body.length < 60_000,
        credentials: 'omit'
    };
    if (unloading) {
        try {
            void fetch(url, init).catch(() => undefined);
        } catch {
            navigator.sendBeacon?.(url, new Blob([body], { type }));
        }
        return { status: 202 };
    }
    try {
        const response = await fetch(url, init);
        const retryAfter = Number(response.headers.get('retry-after'));
        let parsed: unknown;
        if (response.ok) parsed = await response.json().catch(() => undefined);
        return {
            status: response.status,
            body: parsed,
            retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : undefined
        };
    } catch {
        return { status: 0 };
    }
}

safe(boot)();
