/** Within a plugin: a UserFacingError becomes its status and message; anything else goes to the app's handler (500, no details). */
import type { FastifyInstance } from 'fastify';
import { UserFacingError } from './userFacingError';

export function answerUserFacingErrors(app: FastifyInstance): void {
    app.setErrorHandler((error, _request, reply) => {
        if (error instanceof UserFacingError)
            return reply
                .code(error.status)
                .send({ message: error.message, errorCode: 'USER_ERROR' });
        throw error;
    });
}
