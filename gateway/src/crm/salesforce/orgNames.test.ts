import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { literal, literals, OrgNames } from './orgNames';

describe('names in the org, with and without a namespace', () => {
    const sline = new OrgNames('sline');
    const none = new OrgNames();

    it('prefixes custom names only, once', () => {
        assert.equal(sline.of('Live_Stream__c'), 'sline__Live_Stream__c');
        assert.equal(sline.of('Visitor_Update__e'), 'sline__Visitor_Update__e');
        assert.equal(sline.of('Sightline_Setting__mdt'), 'sline__Sightline_Setting__mdt');
        assert.equal(sline.of('sline__Live_Stream__c'), 'sline__Live_Stream__c');
        assert.equal(sline.of('Account'), 'Account');
        assert.equal(none.of('Live_Stream__c'), 'Live_Stream__c');
        assert.equal(sline.developerName('Sightline_Rep'), 'sline__Sightline_Rep');
    });

    it('prefixes the custom names of a SOQL statement but never inside its literals', () => {
        assert.equal(
            sline.soql(
                "SELECT Id, Domain__c, Owner.Name, Website_Visitor__r.Email__c FROM Account WHERE Domain__c = 'x__c' AND Target_Account__c = true"
            ),
            "SELECT Id, sline__Domain__c, Owner.Name, sline__Website_Visitor__r.sline__Email__c FROM Account WHERE sline__Domain__c = 'x__c' AND sline__Target_Account__c = true"
        );
        assert.equal(
            none.soql('SELECT Key__c FROM Routing_State__c'),
            'SELECT Key__c FROM Routing_State__c'
        );
    });

    it('maps record keys out and back, relationships included', () => {
        assert.deepEqual(sline.out({ Name: 'n', Email__c: 'e' }), {
            Name: 'n',
            sline__Email__c: 'e'
        });
        assert.deepEqual(
            sline.in({ Id: '1', sline__Rep__c: '5', sline__Rep__r: { Name: 'Maya' } }),
            { Id: '1', Rep__c: '5', Rep__r: { Name: 'Maya' } }
        );
    });

    it('refuses a namespace Salesforce would not allow', () => {
        assert.throws(() => new OrgNames('1abc'), /Invalid namespace/);
        assert.throws(() => new OrgNames('a_b'), /Invalid namespace/);
    });

    it('escapes literals', () => {
        assert.equal(literal("O'Brien\\"), "'O\\'Brien\\\\'");
        assert.equal(literals(['a', 'b']), "('a', 'b')");
    });
});
