import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES, parseStaffCsv, parseStaffDate, staffTemplateCsv } from './staff-csv.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const rowsOf = (text: string | Uint8Array) => {
  const parsed = parseStaffCsv(typeof text === 'string' ? bytes(text) : text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed;
};
const problemOf = (text: string | Uint8Array) => {
  const parsed = parseStaffCsv(typeof text === 'string' ? bytes(text) : text);
  if (parsed.ok) throw new Error('expected the file to be refused');
  return parsed.message;
};

describe('staff CSV files as schools have them', () => {
  it('reads the template, which is what the admin downloads', () => {
    const { rows, errors } = rowsOf(staffTemplateCsv());
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        email: 'jo.bloggs@school.example',
        fullName: 'Jo Bloggs',
        jobTitle: 'Teacher',
        group: 'Teachers',
        accessStartsOn: '2027-09-01',
        accessEndsOn: '2028-08-31',
      },
    ]);
  });

  it("Excel's CSV UTF-8: a byte-order mark, Windows line endings, trailing blank lines", () => {
    const { rows } = rowsOf('\uFEFFEmail,Full name,Group\r\nann@school.example,Ann Ash,Teachers\r\n\r\n,,\r\n\r\n');
    expect(rows.map((r) => r.email)).toEqual(['ann@school.example']);
    expect(rows[0]!.fullName).toBe('Ann Ash');
  });

  it('semicolons, where a comma is part of the name', () => {
    const { rows } = rowsOf('email;full name;job title;group\nbo@school.example;Bo Birch;Head of Year 7, Maths;Teachers\n');
    expect(rows[0]).toMatchObject({ email: 'bo@school.example', jobTitle: 'Head of Year 7, Maths', group: 'Teachers' });
  });

  it('quoted fields with commas, doubled quotes and a line break inside', () => {
    const { rows } = rowsOf('email,full name,job title\r\n"cy@school.example","Cy ""Sonny"" Cole","Teacher, Art"\r\n');
    expect(rows[0]).toMatchObject({ fullName: 'Cy "Sonny" Cole', jobTitle: 'Teacher, Art' });
  });

  it("older Excel's Windows-1252 CSV keeps the accents", () => {
    const latin = Uint8Array.from([...bytes('email,full name\r\nzoe@school.example,Zo'), 0xeb, ...bytes(' Dub\r\n')]);
    expect(rowsOf(latin).rows[0]!.fullName).toBe('Zoë Dub');
  });

  it('first name and surname columns make the full name', () => {
    const { rows } = rowsOf('Forename,Surname,Email Address\nDee,Dale,DEE@School.Example\n');
    expect(rows[0]).toMatchObject({ email: 'dee@school.example', fullName: 'Dee Dale' });
  });

  it('dates as 31/08/2027 or 2027-08-31; an empty cell clears, a missing column keeps', () => {
    const { rows } = rowsOf('email,full name,access starts,access ends\na@s.example,A A,01/09/2027,2028-08-31\nb@s.example,B B,,\n');
    expect(rows[0]).toMatchObject({ accessStartsOn: '2027-09-01', accessEndsOn: '2028-08-31' });
    expect(rows[1]).toMatchObject({ accessStartsOn: null, accessEndsOn: null });
    expect(rowsOf('email,full name\na@s.example,A A\n').rows[0]!.accessEndsOn).toBeUndefined();
  });

  it('each bad row says what is wrong, on which line, and the others still count', () => {
    const { rows, errors } = rowsOf(
      'email,full name,access ends\nnot-an-email,A A,\nb@s.example,,\nc@s.example,C C,31/02/2027\nd@s.example,D D,\nd@s.example,D Again,\n',
    );
    expect(rows.map((r) => r.line)).toEqual([5]);
    expect(errors).toEqual([
      { line: 2, email: 'not-an-email', reason: '"not-an-email" is not an email address.' },
      { line: 3, email: 'b@s.example', reason: 'No name.' },
      { line: 4, email: 'c@s.example', reason: '"31/02/2027" in access ends is not a date: write it as 31/08/2027 or 2027-08-31.' },
      { line: 6, email: 'd@s.example', reason: 'The same email address as line 5: each person once.' },
    ]);
  });

  it('access that ends before it starts is an error', () => {
    expect(rowsOf('email,full name,access starts,access ends\na@s.example,A A,02/09/2027,01/09/2027\n').errors[0]!.reason).toBe(
      'Access ends before it starts.',
    );
  });

  it('a file that is not a CSV, too large, empty, or with no email column gets a clear message', () => {
    expect(problemOf(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]))).toMatch(/^This is not a CSV file/);
    expect(problemOf(new Uint8Array(MAX_IMPORT_BYTES + 1).fill(0x41))).toMatch(/^The file is over 2 MiB/);
    expect(problemOf('')).toMatch(/^The file is empty/);
    expect(problemOf('name,group\nAnn,Teachers\n')).toMatch(/^The file has no email column/);
    expect(problemOf('email,full name\n"a@s.example,A\n')).toMatch(/quoted field is never closed/);
  });
});

describe('dates in staff files', () => {
  it('reads the day first, as in the UK, and refuses dates that do not exist', () => {
    expect(parseStaffDate('31/08/2027')).toBe('2027-08-31');
    expect(parseStaffDate('1/9/2027')).toBe('2027-09-01');
    expect(parseStaffDate('2027-08-31')).toBe('2027-08-31');
    expect(parseStaffDate('29/02/2028')).toBe('2028-02-29');
    expect(parseStaffDate('29/02/2027')).toBeUndefined();
    expect(parseStaffDate('08/31/2027')).toBeUndefined();
    expect(parseStaffDate('next friday')).toBeUndefined();
  });
});
