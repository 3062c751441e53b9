export { HttpClient, type HttpResponse } from '@app/testing';
