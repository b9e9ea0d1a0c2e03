/**
 * Reads Apex classes with the ANTLR grammar of `@apexdevtools/apex-parser`: syntax
 * errors with their line, the top-level class's name and annotations, and its methods
 * with their modifiers (enough to know which are `@AuraEnabled` and static).
 */
import {
    ApexErrorListener,
    ApexParserFactory,
    type ModifierContext
} from '@apexdevtools/apex-parser';

export interface ApexSyntaxProblem {
    line: number;
    column: number;
    message: string;
}

export interface ApexMethod {
    name: string;
    line: number;
    annotations: string[];
    isStatic: boolean;
    /** Parameters in order, with their declared type as written (`String`, `Boolean`). */
    params: { name: string; type: string }[];
    /** The body's tokens joined without whitespace (string literals keep theirs). */
    body: string;
}

export interface ApexClassInfo {
    /** Declared name of the top-level type, when the parser got that far. */
    name: string | undefined;
    kind: 'class' | 'interface' | 'enum' | undefined;
    annotations: string[];
    isTest: boolean;
    methods: ApexMethod[];
    errors: ApexSyntaxProblem[];
}

class CollectingListener extends ApexErrorListener {
    readonly errors: ApexSyntaxProblem[] = [];
    apexSyntaxError(line: number, column: number, msg: string): void {
        this.errors.push({ line, column: column + 1, message: shorten(msg) });
    }
}

/** ANTLR lists every token it would have accepted; keep the message readable. */
function shorten(msg: string): string {
    return msg.replace(/ expecting \{.*\}$/s, (list) => (list.length > 120 ? ' here' : list));
}

function annotationsOf(modifiers: ModifierContext[]): string[] {
    return modifiers
        .map((m) => m.annotation()?.id()?.getText())
        .filter((a): a is string => Boolean(a))
        .map((a) => a.toLowerCase());
}

export function parseApexClass(source: string): ApexClassInfo {
    const listener = new CollectingListener();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    const unit = parser.compilationUnit();
    const info: ApexClassInfo = {
        name: undefined,
        kind: undefined,
        annotations: [],
        isTest: false,
        methods: [],
        errors: listener.errors
    };
    const type = unit.typeDeclaration();
    if (!type) return info;
    info.annotations = annotationsOf(type.modifier_list());
    info.isTest = info.annotations.includes('istest');
    const cls = type.classDeclaration();
    if (cls) {
        info.kind = 'class';
        info.name = cls.id()?.getText();
        for (const decl of cls.classBody()?.classBodyDeclaration_list() ?? []) {
            const method = decl.memberDeclaration()?.methodDeclaration();
            if (!method?.id()) continue;
            const modifiers = decl.modifier_list();
            info.methods.push({
                name: method.id().getText(),
                line: method.start.line,
                annotations: annotationsOf(modifiers),
                isStatic: modifiers.some((m) => m.STATIC() !== null && m.STATIC() !== undefined),
                params: (
                    method.formalParameters()?.formalParameterList()?.formalParameter_list() ?? []
                ).map((p) => ({ name: p.id().getText(), type: p.typeRef().getText() })),
                body: method.block()?.getText() ?? ''
            });
        }
    } else if (type.interfaceDeclaration()) {
        info.kind = 'interface';
        info.name = type.interfaceDeclaration().id()?.getText();
    } else if (type.enumDeclaration()) {
        info.kind = 'enum';
        info.name = type.enumDeclaration().id()?.getText();
    }
    return info;
}
