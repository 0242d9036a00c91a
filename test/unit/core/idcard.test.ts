import { describe, expect, it } from 'vitest';
import { birthDateOf, checkDigit, idProblems, isValidId, maskId, maskPhone, sexOf } from '../../../shared/idcard.js';

describe('GB 11643 ID numbers', () => {
  // Published examples of valid numbers (GB 11643-1999 annex and common references).
  it.each(['11010519491231002X', '440524188001010014', '110101199003074477'])('accepts %s', (id) => {
    expect(idProblems(id)).toEqual([]);
    expect(isValidId(id)).toBe(true);
  });

  it('computes the X check character', () => {
    expect(checkDigit('11010519491231002')).toBe('X');
  });

  it.each([
    ['11010519491231002', 'length'],
    ['1101051949123100ZX', 'characters'],
    ['110105194902300021', 'birth_date'],
    ['99010519491231002X', 'region'],
    ['110105194912310021', 'check_digit'],
  ])('reports %s as %s', (id, problem) => {
    expect(idProblems(id)).toContain(problem);
  });

  it('reads birth date and sex', () => {
    expect(birthDateOf('11010519491231002X')).toBe('1949-12-31');
    expect(sexOf('11010519491231002X')).toBe('女');
    expect(sexOf('440524188001010014')).toBe('男');
  });

  it('masks ID numbers and phones for lists and the 公示', () => {
    expect(maskId('43010219990101123X')).toBe('430***********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
