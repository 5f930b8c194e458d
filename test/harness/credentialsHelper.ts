import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsHelper,
	IHttpRequestOptions,
	INodeProperties,
	IRequestOptionsSimplified,
} from 'n8n-workflow';

import { UcpaasApi } from '../../credentials/UcpaasApi.credentials';

/**
 * What n8n's real credentials helper does for a credential with an `authenticate` function,
 * minus the database: hand the decrypted data to that function for every request.
 */
export class TestCredentialsHelper implements ICredentialsHelper {
	private readonly credentialType = new UcpaasApi();

	/** How many requests were signed: each must get its own fresh signature. */
	signed = 0;

	/** How many times the node loaded the credential (a database read and decryption in n8n). */
	loads = 0;

	constructor(private readonly data: ICredentialDataDecryptedObject) {}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		if (typeName !== this.credentialType.name) throw new Error(`Unexpected credential type ${typeName}`);
		this.signed++;
		return await this.credentialType.authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		this.loads++;
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}
