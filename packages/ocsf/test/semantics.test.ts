import { createSemanticChecker, mapRecord, unexplained, type AllowedFinding, type SemanticFinding } from '../src';
import { parseCaptions, parseRecommended, semanticRules } from '../src/semantic-rules';
import { readFixture } from './helpers';

const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', observedTime: 1_772_496_000_000 };

/** A valid, warning-free sign-in event to break one attribute at a time (each test is a control case). */
function cleanSignIn(): Record<string, any> {
  const { value } = readFixture('corpus/signIns-variants.json') as { value: unknown[] };
  return mapRecord('signIns', value[0], ctx) as Record<string, any>;
}

// The reviewed allow-list covers what Graph never sends (certificate, confidence, …); the controls look past it.
const checker = createSemanticChecker();
const noAllowList = { check: (e: unknown): SemanticFinding[] => unexplained(checker.check(e)) };
const codes = (fs: SemanticFinding[]): string[] => fs.map((f) => `${f.code} ${f.path}`).sort();

describe('rules derived from the OCSF 1.8.0 material', () => {
  test('captions come from the schema descriptions', () => {
    expect(parseCaptions('The type. Values: 0 = Unknown; 1 = User; 99 = Other.')).toEqual(new Map([[0, 'Unknown'], [1, 'User'], [99, 'Other']]));
    expect(parseCaptions('No enum here.')).toBeUndefined();
    expect(parseCaptions('Values: Base = Base.')).toBeUndefined(); // string enums carry no id rule
  });

  test('every class knows its sibling pairs, deprecations and recommended attributes', () => {
    const rules = semanticRules();
    const ua = rules.get(3005)!;
    expect([...ua.root.deprecated.keys()]).toContain('resource');
    const typeUid = ua.root.enums.find((r) => r.key === 'type_uid')!;
    expect([typeUid.sibling, typeUid.captions.get(300599)]).toEqual(['type_name', 'User Access Management: Other']);
    expect(ua.root.enums.find((r) => r.key === 'activity_id')!.sibling).toBe('activity_name');
    const userType = ua.root.children.get('user')!.enums.find((r) => r.key === 'type_id')!;
    expect([userType.sibling, userType.captions.get(4)]).toEqual(['type', 'Service']);
    const auth = rules.get(3002)!;
    expect(auth.recommended).toEqual(expect.arrayContaining([{ name: 'is_mfa' }, { name: 'action_id', profile: 'security_control' }]));
    expect(auth.recommended.map((r) => r.name)).not.toContain('policy'); // optional
    expect(rules.get(3005)!.recommended.map((r) => r.name)).not.toContain('resource'); // deprecated: resources instead
    expect(auth.hasAttributePath('actor.user.name')).toBe(true);
    expect(auth.hasAttributePath('actor.user.nickname')).toBe(false);
  });

  test('SUMMARY rows: requirement and profile columns', () => {
    const parsed = parseRecommended([
      '## Thing (thing), class_uid 42, category X (1)', '', 'attribute | requirement | type | profiles | enum ids',
      '--- | --- | --- | --- | ---', 'a | required | string_t | - | ', 'b | recommended | string_t | - | ',
      'c | recommended | integer_t | host | ', 'd (deprecated) | recommended | x | - | ', '## object user (User)',
      'e | recommended | string_t | - | ',
    ].join('\n'));
    expect(parsed).toEqual(new Map([[42, [{ name: 'b' }, { name: 'c', profile: 'host' }]]]));
  });
});

describe('each check finds what it looks for (control cases)', () => {
  test('a clean event has no finding outside the allow-list', () => {
    expect(noAllowList.check(cleanSignIn())).toEqual([]);
  });

  test('a label that is not its id\'s caption, at any depth', () => {
    const e = cleanSignIn();
    e.user.type = 'Member';
    e.auth_factors[1].factor_type = 'Mobile app notification';
    e.status = 'unknownFutureValue';
    expect(codes(noAllowList.check(e))).toEqual([
      'attribute_enum_sibling_incorrect auth_factors[1].factor_type', 'attribute_enum_sibling_incorrect status',
      'attribute_enum_sibling_incorrect user.type',
    ]);
  });

  test('type_name that is not the caption of type_uid; activity_name "Other" for activity 99', () => {
    const e = cleanSignIn();
    e.activity_id = 99;
    e.type_uid = 300299;
    e.activity_name = 'Other';
    e.type_name = 'Authentication: Something';
    expect(codes(noAllowList.check(e)).filter((c) => c.includes('sibling'))).toEqual([
      'attribute_enum_sibling_incorrect type_name', 'attribute_enum_sibling_suspicious_other activity_name',
    ]);
  });

  test('a deprecated attribute', () => {
    const e = mapRecord('users', { id: 'u-1', userPrincipalName: 'a@contoso.com' }, ctx) as Record<string, any>;
    e.user.credential_uid = 'AKIA…';
    expect(codes(noAllowList.check(e)).filter((c) => c.startsWith('attribute_deprecated'))).toEqual(['attribute_deprecated user.credential_uid']);
  });

  test('a missing recommended attribute, profile attributes only when the profile is declared', () => {
    const e = cleanSignIn();
    delete e.timezone_offset;
    delete e.action_id;
    delete e.action;
    expect(codes(noAllowList.check(e))).toEqual(['attribute_recommended_missing action_id', 'attribute_recommended_missing timezone_offset']);
    e.metadata.profiles = e.metadata.profiles.filter((p: string) => p !== 'security_control');
    expect(codes(noAllowList.check(e))).toEqual(['attribute_recommended_missing timezone_offset']);
  });

  test('an observable naming no attribute, or not carrying the value found there', () => {
    const e = cleanSignIn();
    e.observables.push({ name: 'user.nickname', type_id: 4, type: 'User Name', value: 'x' });
    e.observables[0].value = 'someone-else';
    expect(noAllowList.check(e).map((f) => [f.level, f.code, f.path])).toEqual([
      ['warning', 'observable_value_mismatch', 'observables[0].value'],
      ['error', 'observable_name_invalid_reference', `observables[${e.observables.length - 1}].name`],
    ]);
  });

  test('the allow-list marks the findings it covers, scoped to class and activity', () => {
    const e = cleanSignIn();
    delete e.is_mfa;
    const entry: AllowedFinding = { classUid: 3002, code: 'attribute_recommended_missing', path: 'is_mfa', reason: 'because' };
    const isMfa = (list: AllowedFinding[]) => createSemanticChecker(list).check(e).find((f) => f.path === 'is_mfa')!;
    expect(isMfa([entry]).allowed).toBe('because');
    expect(isMfa([{ ...entry, activityIds: [99] }]).allowed).toBeUndefined();
    expect(isMfa([{ ...entry, classUid: 3001 }]).allowed).toBeUndefined();
  });
});
