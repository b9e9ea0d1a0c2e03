/** Whether the tracker may send or store anything. */
export interface PrivacySignals {
    /** `navigator.doNotTrack` (or the legacy window/ms variants). */
    doNotTrack: string | null | undefined;
    /** The script tag says `data-consent="required"`. */
    consentRequired: boolean;
    /** The site called `sightline('consent', true)` (now or, remembered, on an earlier page). */
    consentGiven: boolean;
}

export function doNotTrackOn(value: string | null | undefined): boolean {
    return value === '1' || value === 'yes';
}

export function trackingAllowed(signals: PrivacySignals): boolean {
    if (doNotTrackOn(signals.doNotTrack)) return false;
    return !signals.consentRequired || signals.consentGiven;
}
