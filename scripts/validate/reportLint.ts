/**
 * Part of check 4: the package's reports and dashboards reference what exists, which no
 * Salesforce tool checks before a deploy:
 *
 * - a custom report type's columns name fields of its objects (the child table of a join
 *   is the parent's child relationship, e.g. `Conversation__c.Messages__r`);
 * - a report's report type exists (ours, or a standard one we list), and every column,
 *   grouping, filter and summary-formula field is offered by that report type (for a
 *   standard type: every custom field it names exists);
 * - a dashboard's components name reports that exist, group by the report's groupings,
 *   and chart `RowCount` or a summary formula the report defines.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { OrgSchema } from '../../localorg/src/store/objectMetadata';
import { forceAppDefault } from './project';
import { rel, type Finding } from './report';

/** Standard report types our reports use, with the object whose custom fields they offer. */
const STANDARD_REPORT_TYPES: Record<string, string> = { LeadList: 'Lead' };

const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (name) =>
        [
            'sections',
            'columns',
            'groupingsDown',
            'criteriaItems',
            'aggregates',
            'dashboardGridComponents',
            'groupingColumn'
        ].includes(name)
});

type Xml = Record<string, unknown>;
const read = (path: string): Xml => parser.parse(readFileSync(path, 'utf8')) as Xml;
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

function filesUnder(dir: string, suffix: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith(suffix))
        .map((f) => join(dir, f));
}

/** The object a report type table stands for: `Parent` or `Parent.Child__r`. */
function tableObject(schema: OrgSchema, table: string): string | undefined {
    const [parent = '', relationship] = table.split('.');
    if (!relationship) return schema.has(parent) ? parent : undefined;
    const wanted = relationship.replace(/__r$/, '');
    for (const object of schema.values())
        for (const field of object.fields.values())
            if (field.referenceTo === parent && field.source.endsWith('.xml')) {
                const xml = readFileSync(field.source, 'utf8');
                if (new RegExp(`<relationshipName>${wanted}</relationshipName>`).test(xml))
                    return object.apiName;
            }
    return undefined;
}

/** Returns how many reports and dashboards were checked. */
export function lintReports(root: string, schema: OrgSchema, findings: Finding[]): number {
    const dir = forceAppDefault(root);
    const error = (path: string, message: string) =>
        findings.push({ severity: 'error', file: rel(root, path), message });

    // Report types: the fields each offers, as `Table.Field` (the table's first segment).
    const offered = new Map<string, Set<string>>();
    for (const path of filesUnder(join(dir, 'reportTypes'), '.reportType-meta.xml')) {
        const name = path.split('/').pop()!.replace('.reportType-meta.xml', '');
        const type = (read(path).ReportType ?? {}) as Xml;
        const fields = new Set<string>();
        for (const section of list<Xml>(type.sections))
            for (const column of list<Xml>(section.columns)) {
                const table = String(column.table);
                const field = String(column.field);
                const object = tableObject(schema, table);
                if (!object)
                    error(
                        path,
                        `report type table ${table} is not an object or child relationship`
                    );
                else if (!schema.get(object)!.fields.has(field))
                    error(
                        path,
                        `report type column ${table}.${field}: ${object} has no field ${field}`
                    );
                fields.add(`${object ?? table}.${field}`);
            }
        offered.set(`${name}__c`, fields);
    }

    // Reports: their fields against their report type.
    const reports = new Map<string, { groupings: string[]; formulas: string[] }>();
    for (const path of filesUnder(join(dir, 'reports'), '.report-meta.xml')) {
        const key = path.slice(join(dir, 'reports').length + 1).replace('.report-meta.xml', '');
        const report = (read(path).Report ?? {}) as Xml;
        const reportType = String(report.reportType);
        const groupings = list<Xml>(report.groupingsDown).map((g) => String(g.field));
        const aggregates = list<Xml>(report.aggregates);
        const named = [
            ...list<Xml>(report.columns).map((c) => String(c.field)),
            ...groupings,
            ...list<Xml>((report.filter as Xml | undefined)?.criteriaItems).map((c) =>
                String(c.column)
            ),
            ...aggregates.flatMap((a) =>
                [
                    ...String(a.calculatedFormula).matchAll(
                        /([A-Za-z0-9_]+\.[A-Za-z0-9_]+):[A-Z]+/g
                    )
                ].map((m) => m[1]!)
            )
        ];
        const fields = offered.get(reportType);
        const standard = STANDARD_REPORT_TYPES[reportType];
        if (!fields && !standard)
            error(
                path,
                `report type ${reportType} does not exist (reportTypes/ or the standard types we list)`
            );
        for (const field of named) {
            if (fields && !fields.has(field))
                error(path, `${field} is not offered by report type ${reportType}`);
            if (standard && field.includes('__c')) {
                const [object = '', name = ''] = field.split('.');
                if (object !== standard || !schema.get(standard)?.fields.has(name))
                    error(path, `${field} does not exist on ${standard}`);
            }
        }
        reports.set(key, { groupings, formulas: aggregates.map((a) => String(a.developerName)) });
    }

    // Dashboards: their components against the reports.
    let dashboards = 0;
    for (const path of filesUnder(join(dir, 'dashboards'), '.dashboard-meta.xml')) {
        dashboards++;
        const layout = ((read(path).Dashboard ?? {}) as Xml).dashboardGridLayout as Xml | undefined;
        for (const cell of list<Xml>(layout?.dashboardGridComponents)) {
            const component = (cell.dashboardComponent ?? {}) as Xml;
            const name = String(component.report);
            const report = reports.get(name);
            if (!report) {
                error(
                    path,
                    `component "${String(component.header)}" names report ${name}, which does not exist`
                );
                continue;
            }
            for (const grouping of list<string>(component.groupingColumn).map(String))
                if (!report.groupings.includes(grouping))
                    error(
                        path,
                        `component "${String(component.header)}" groups by ${grouping}, which report ${name} does not group by`
                    );
            const chartColumn = (component.chartSummary as Xml | undefined)?.column;
            const column =
                typeof chartColumn === 'string' || typeof chartColumn === 'number'
                    ? String(chartColumn)
                    : 'RowCount';
            if (column !== 'RowCount' && !report.formulas.includes(column))
                error(
                    path,
                    `component "${String(component.header)}" charts ${column}, which report ${name} does not define`
                );
        }
    }
    return reports.size + dashboards;
}
