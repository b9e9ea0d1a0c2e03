import { reduceErrors } from 'c/ldsUtils';

describe('reduceErrors', () => {
    it('reads an Apex error (AuraHandledException) by its body message', () => {
        expect(
            reduceErrors({ body: { message: 'Only a Sightline admin can do this.' }, status: 403 })
        ).toBe('Only a Sightline admin can do this.');
    });

    it('prefers the record and field errors of a UI API write over its summary', () => {
        const error = {
            body: {
                message: 'An error occurred while trying to update the record.',
                output: {
                    errors: [{ message: 'Duplicate record.' }],
                    fieldErrors: { Email: [{ message: 'Email: invalid email address' }] }
                }
            }
        };
        expect(reduceErrors(error)).toBe('Duplicate record. Email: invalid email address');
    });

    it('joins the messages of an array body and of several errors, once each', () => {
        expect(
            reduceErrors({ body: [{ message: 'No such column' }, { message: 'No such column' }] })
        ).toBe('No such column');
        expect(reduceErrors([new Error('First'), 'Second'])).toBe('First Second');
    });

    it('falls back to the given text when nothing is readable', () => {
        expect(reduceErrors({ body: {} }, 'Try again.')).toBe('Try again.');
        expect(reduceErrors(undefined)).toBe('Something went wrong.');
    });
});
