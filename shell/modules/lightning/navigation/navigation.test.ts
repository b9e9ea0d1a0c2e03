import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageReferenceToUrl, urlToPageReference, type PageReference } from './navigation';

describe('the lightning/navigation stand-in', () => {
    it("maps page references to Lightning Experience's URLs and back", () => {
        const pages: [PageReference, string][] = [
            [
                {
                    type: 'standard__recordPage',
                    attributes: {
                        recordId: '00Q000000000001AAA',
                        objectApiName: 'Lead',
                        actionName: 'view'
                    }
                },
                '/lightning/r/Lead/00Q000000000001AAA/view'
            ],
            [
                {
                    type: 'standard__recordPage',
                    attributes: { recordId: '001000000000001AAA', actionName: 'view' }
                },
                '/lightning/r/001000000000001AAA/view'
            ],
            [
                {
                    type: 'standard__objectPage',
                    attributes: { objectApiName: 'Account', actionName: 'list' }
                },
                '/lightning/o/Account/list'
            ],
            [
                { type: 'standard__navItemPage', attributes: { apiName: 'Sightline_Setup' } },
                '/lightning/n/Sightline_Setup'
            ]
        ];
        for (const [pageRef, url] of pages) {
            assert.equal(pageReferenceToUrl(pageRef), url);
            assert.deepEqual(urlToPageReference(url), pageRef);
        }
    });

    it('opens the console for the app root and unknown paths', () => {
        assert.deepEqual(urlToPageReference('/'), {
            type: 'standard__navItemPage',
            attributes: { apiName: 'Sightline_Console' }
        });
    });

    it('refuses a page reference type it cannot open', () => {
        assert.throws(
            () => pageReferenceToUrl({ type: 'comm__namedPage', attributes: {} }),
            /Unsupported page reference type/
        );
    });
});
