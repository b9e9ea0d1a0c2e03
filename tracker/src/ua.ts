/** Coarse device, browser and OS from the user agent: enough for a rep, nothing fingerprint-grade. */
export interface Device {
    type: 'desktop' | 'mobile' | 'tablet';
    browser: string;
    os: string;
}

export function parseUserAgent(ua: string, maxTouchPoints = 0): Device {
    // iPadOS 13+ asks for desktop sites and says "Macintosh"; touch points give it away.
    const ipadAsMac = /Macintosh/.test(ua) && maxTouchPoints > 1;
    const type: Device['type'] =
        ipadAsMac ||
        /iPad|Tablet|PlayBook|Silk|Kindle/i.test(ua) ||
        (/Android/i.test(ua) && !/Mobile/i.test(ua))
            ? 'tablet'
            : /Mobi|iPhone|iPod|Android|Windows Phone/i.test(ua)
              ? 'mobile'
              : 'desktop';
    const browser = /Edg(e|A|iOS)?\//.test(ua)
        ? 'Edge'
        : /OPR\/|Opera/.test(ua)
          ? 'Opera'
          : /SamsungBrowser\//.test(ua)
            ? 'Samsung Internet'
            : /Firefox\/|FxiOS\//.test(ua)
              ? 'Firefox'
              : /Chrome\/|CriOS\/|Chromium\//.test(ua)
                ? 'Chrome'
                : /Safari\//.test(ua)
                  ? 'Safari'
                  : 'Other';
    const os = /Windows/.test(ua)
        ? 'Windows'
        : ipadAsMac || /iPhone|iPad|iPod/.test(ua)
          ? 'iOS'
          : /Android/.test(ua)
            ? 'Android'
            : /CrOS/.test(ua)
              ? 'ChromeOS'
              : /Mac OS X|Macintosh/.test(ua)
                ? 'macOS'
                : /Linux/.test(ua)
                  ? 'Linux'
                  : 'Other';
    return { type, browser, os };
}
