/**
 * The controller's methods, typed from the action contract
 * (force-app/main/default/lwc/sightlineLive/actionContract.ts): a component calls
 * `getSnapshot()` and gets a `ConsoleSnapshot`, with no cast. These declarations win over
 * the untyped `@salesforce/apex/*` one; the validate check holds the Apex class to the same
 * contract.
 */
type SightlineContract =
    typeof import('../force-app/main/default/lwc/sightlineLive/actionContract');
type SightlineParams<A extends keyof SightlineContract['ACTIONS']> =
    import('../force-app/main/default/lwc/sightlineLive/actionContract').ActionParams<A>;
type SightlineApexMethod<A extends keyof SightlineContract['ACTIONS']> = ((
    ...params: keyof SightlineParams<A> extends never
        ? [params?: SightlineParams<A>]
        : [params: SightlineParams<A>]
) => Promise<
    import('../force-app/main/default/lwc/sightlineLive/actionContract').ActionResult<A>
>) & {
    adapter?: unknown;
};

declare module '@salesforce/apex/SightlineGatewayController.getSnapshot' {
    const method: SightlineApexMethod<'getSnapshot'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.getChanges' {
    const method: SightlineApexMethod<'getChanges'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.getVisitorDetail' {
    const method: SightlineApexMethod<'getVisitorDetail'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.pounce' {
    const method: SightlineApexMethod<'pounce'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.acceptChat' {
    const method: SightlineApexMethod<'acceptChat'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.sendMessage' {
    const method: SightlineApexMethod<'sendMessage'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.endConversation' {
    const method: SightlineApexMethod<'endConversation'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.setTyping' {
    const method: SightlineApexMethod<'setTyping'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.setAvailability' {
    const method: SightlineApexMethod<'setAvailability'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.linkLead' {
    const method: SightlineApexMethod<'linkLead'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.findLeadByEmail' {
    const method: SightlineApexMethod<'findLeadByEmail'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.getRoutingConfig' {
    const method: SightlineApexMethod<'getRoutingConfig'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.getDryRunVisitors' {
    const method: SightlineApexMethod<'getDryRunVisitors'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.mintLiveToken' {
    const method: SightlineApexMethod<'mintLiveToken'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.getHealth' {
    const method: SightlineApexMethod<'getHealth'>;
    export default method;
}
declare module '@salesforce/apex/SightlineGatewayController.setSigningSecret' {
    const method: SightlineApexMethod<'setSigningSecret'>;
    export default method;
}
/** Create Lead in the org, through its duplicate and assignment rules (not a gateway action). */
declare module '@salesforce/apex/SightlineLeadController.createLead' {
    const method: ((
        params: import('../force-app/main/default/lwc/visitorLeadForm/leadAnswer').CreateLeadParams
    ) => Promise<
        import('../force-app/main/default/lwc/visitorLeadForm/leadAnswer').CreateLeadAnswer
    >) & { adapter?: unknown };
    export default method;
}
