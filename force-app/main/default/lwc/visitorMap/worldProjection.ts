/**
 * Just enough cartography for the map view, with no library and no network: a TopoJSON
 * decoder (quantized, delta-encoded arcs → rings) and the Natural Earth projection
 * (Šavrič et al. 2011, the polynomial d3-geo uses), producing one SVG path for the land.
 */

export interface Topology {
    type: 'Topology';
    transform?: { scale: [number, number]; translate: [number, number] };
    arcs: [number, number][][];
    objects: Record<string, { type: string; geometries: TopoGeometry[] }>;
}

interface TopoGeometry {
    type: string | null;
    id?: string;
    arcs?: number[][] | number[][][];
}

export interface WorldShape {
    /** SVG path data of every country (Antarctica left out: nobody browses from there). */
    land: string;
    viewBox: { x: number; y: number; width: number; height: number };
}

const SCALE = 100;
const RADIANS = Math.PI / 180;
const ANTARCTICA = '010';

/** Natural Earth projection of [longitude, latitude] in degrees to SVG units (y down). */
export function project(lon: number, lat: number): [number, number] {
    const lambda = lon * RADIANS;
    const phi = lat * RADIANS;
    const phi2 = phi * phi;
    const phi4 = phi2 * phi2;
    const x =
        lambda *
        (0.8707 -
            0.131979 * phi2 +
            phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)));
    const y =
        phi *
        (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)));
    return [x * SCALE, -y * SCALE];
}

function decodeArcs(topology: Topology): [number, number][][] {
    const t = topology.transform;
    return topology.arcs.map((arc) => {
        let x = 0;
        let y = 0;
        return arc.map(([a, b]) => {
            if (!t) return [a, b] as [number, number];
            x += a;
            y += b;
            return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]] as [
                number,
                number
            ];
        });
    });
}

function ring(arcs: [number, number][][], indexes: number[]): [number, number][] {
    const points: [number, number][] = [];
    indexes.forEach((index, i) => {
        const arc = index >= 0 ? arcs[index] : arcs[~index]?.slice().reverse();
        if (!arc) return;
        points.push(...(i === 0 ? arc : arc.slice(1)));
    });
    return points;
}

function polygons(geometry: TopoGeometry): number[][][] {
    if (geometry.type === 'Polygon') return [geometry.arcs as number[][]];
    if (geometry.type === 'MultiPolygon') return geometry.arcs as number[][][];
    return [];
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A ring that crosses the antimeridian jumps from +180 to −180; drawn as is, it would
 * streak across the map. Unwrap it to continuous longitudes and hold it at the edge.
 */
function unwrap(points: [number, number][]): [number, number][] {
    let shift = 0;
    let previous = points[0]?.[0] ?? 0;
    return points.map(([lon, lat]) => {
        const delta = lon + shift - previous;
        if (delta > 180) shift -= 360;
        else if (delta < -180) shift += 360;
        previous = lon + shift;
        return [Math.max(-180, Math.min(180, lon + shift)), lat];
    });
}

/** The land of a world-atlas `countries` topology as one path, and its bounds. */
export function worldShape(topology: Topology): WorldShape {
    const arcs = decodeArcs(topology);
    const countries = topology.objects.countries ?? Object.values(topology.objects)[0];
    const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    const parts: string[] = [];
    for (const geometry of countries?.geometries ?? []) {
        if (geometry.id === ANTARCTICA) continue;
        for (const polygon of polygons(geometry)) {
            for (const indexes of polygon) {
                const points = unwrap(ring(arcs, indexes));
                if (points.length < 3) continue;
                const d = points.map(([lon, lat], i) => {
                    const [x, y] = project(lon, lat);
                    if (x < b.minX) b.minX = x;
                    if (x > b.maxX) b.maxX = x;
                    if (y < b.minY) b.minY = y;
                    if (y > b.maxY) b.maxY = y;
                    return `${i === 0 ? 'M' : 'L'}${round(x)},${round(y)}`;
                });
                parts.push(`${d.join('')}Z`);
            }
        }
    }
    if (!Number.isFinite(b.minX))
        return { land: '', viewBox: { x: -275, y: -150, width: 550, height: 270 } };
    const pad = 4;
    return {
        land: parts.join(''),
        viewBox: {
            x: b.minX - pad,
            y: b.minY - pad,
            width: b.maxX - b.minX + 2 * pad,
            height: b.maxY - b.minY + 2 * pad
        }
    };
}
